// The validation build (Validator: no engine, no store, no SQLite — what the console runs) answers
// every request exactly as the engine's validate-only mode does: same status, same body.
#include "engine_harness.hpp"
#include "fixture_requests.hpp"
#include "leadline/validator.hpp"

using leadline::testing::TestEngine;

TEST_CASE("the Validator answers every fixture request exactly as Engine::validate") {
  TestEngine engine;
  const leadline::Validator validator;
  const auto requests = leadline::testing::every_fixture_request();
  REQUIRE(requests.size() > 80);
  for (const auto& request : requests) {
    INFO(request.method << " " << request.path << "?" << request.query << " " << request.body.substr(0, 200));
    const auto expected = engine.engine->validate(request);
    const auto actual = validator.validate(request);
    CHECK(actual.status == expected.status);
    CHECK(actual.body == expected.body);
  }
}
