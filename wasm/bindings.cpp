// The only file that includes <emscripten/bind.h>. The server's build exposes JsonEngine (and the
// validator); the console's build (LEADLINE_VALIDATION_ONLY) exposes only JsonValidator, so it
// links no engine, no store and no SQLite.
#include "leadline/json_validator.hpp"
#ifndef LEADLINE_VALIDATION_ONLY
#include "leadline/json_engine.hpp"
#endif

#include <emscripten/bind.h>

EMSCRIPTEN_BINDINGS(leadline) {
  emscripten::class_<leadline::JsonValidator>("JsonValidator")
      .constructor<>()
      .function("validate", &leadline::JsonValidator::validate);
#ifndef LEADLINE_VALIDATION_ONLY
  emscripten::class_<leadline::JsonEngine>("JsonEngine")
      .constructor<>()
      .function("open", &leadline::JsonEngine::open)
      .function("handle", &leadline::JsonEngine::handle)
      .function("validate", &leadline::JsonEngine::validate)
      .function("admin", &leadline::JsonEngine::admin)
      .function("replicate", &leadline::JsonEngine::replicate)
      .function("deliver", &leadline::JsonEngine::deliver)
      // The piece as a Uint8Array over wasm memory, valid until the next call into the engine.
      .function("readStream", emscripten::optional_override([](leadline::JsonEngine& engine, unsigned stream) {
                  const auto& piece = engine.read_stream_kept(stream);
                  return emscripten::val(emscripten::typed_memory_view(piece.size(), piece.data()));
                }))
      .function("closeStream", &leadline::JsonEngine::close_stream)
      .function("work", &leadline::JsonEngine::work)
      .function("backupStep", &leadline::JsonEngine::backup_step)
      .function("close", &leadline::JsonEngine::close)
      .class_function("upgradeSingleFile", &leadline::JsonEngine::upgrade_single_file);
#endif
}
