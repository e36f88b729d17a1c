// The only file that includes <emscripten/bind.h>: exposes JsonEngine, nothing else.
#include "leadline/json_engine.hpp"

#include <emscripten/bind.h>

EMSCRIPTEN_BINDINGS(leadline) {
  emscripten::class_<leadline::JsonEngine>("JsonEngine")
      .constructor<>()
      .function("open", &leadline::JsonEngine::open)
      .function("handle", &leadline::JsonEngine::handle)
      .function("validate", &leadline::JsonEngine::validate)
      .function("admin", &leadline::JsonEngine::admin)
      // The piece as a Uint8Array over wasm memory, valid until the next call into the engine.
      .function("readStream", emscripten::optional_override([](leadline::JsonEngine& engine, unsigned stream) {
                  const auto& piece = engine.read_stream_kept(stream);
                  return emscripten::val(emscripten::typed_memory_view(piece.size(), piece.data()));
                }))
      .function("closeStream", &leadline::JsonEngine::close_stream)
      .function("work", &leadline::JsonEngine::work)
      .function("close", &leadline::JsonEngine::close);
}
