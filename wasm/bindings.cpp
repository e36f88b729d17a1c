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
      .function("readStream", &leadline::JsonEngine::read_stream)
      .function("closeStream", &leadline::JsonEngine::close_stream)
      .function("work", &leadline::JsonEngine::work)
      .function("close", &leadline::JsonEngine::close);
}
