// `make_single_file_database PATH WORKSPACES LEADS`: writes a database of the single-file layout
// (tests/core/single_file_fixture.hpp) for the HTTP upgrade test, and prints its workspaces and
// keys as JSON: [{"workspaceId": "ws_…", "key": "sk_…"}, …].
#include "single_file_fixture.hpp"

#include <nlohmann/json.hpp>

#include <exception>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: make_single_file_database PATH WORKSPACES LEADS\n";
    return 2;
  }
  try {
    const auto made = leadline::testing::write_single_file_database(argv[1], std::stoi(argv[2]), std::stoi(argv[3]));
    nlohmann::json out = nlohmann::json::array();
    for (const auto& workspace : made)
      out.push_back({{"workspaceId", leadline::format_id(leadline::kWorkspaceIdPrefix, workspace.id)}, {"key", workspace.key}});
    std::cout << out.dump() << '\n';
    return 0;
  } catch (const std::exception& failure) {
    std::cerr << failure.what() << '\n';
    return 1;
  }
}
