#include "store/data_folder.hpp"

#include "leadline/ids.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace leadline::store {
namespace {

constexpr std::string_view kWorkspaceDirectory = "workspaces";
constexpr std::string_view kDatabaseSuffix = ".db";

}  // namespace

std::string DataFolder::catalog_path() const {
  return in_memory() ? ":memory:" : (std::filesystem::path(root_) / "catalog.db").string();
}

std::string DataFolder::workspace_path(std::int64_t workspace_id) const {
  if (in_memory()) return ":memory:";
  return (std::filesystem::path(root_) / kWorkspaceDirectory /
          (format_id(kWorkspaceIdPrefix, workspace_id) + std::string(kDatabaseSuffix)))
      .string();
}

Status DataFolder::create_directories() const {
  if (in_memory()) return Ok{};
  std::error_code failure;
  std::filesystem::create_directories(std::filesystem::path(root_) / kWorkspaceDirectory, failure);
  if (failure) return Error{ErrorCode::Internal, "cannot create data folder " + root_ + ": " + failure.message()};
  return Ok{};
}

Result<std::vector<std::int64_t>> DataFolder::workspace_ids() const {
  std::vector<std::int64_t> ids;
  if (in_memory()) return ids;
  std::error_code failure;
  const auto directory = std::filesystem::path(root_) / kWorkspaceDirectory;
  for (std::filesystem::directory_iterator entry(directory, failure), end; !failure && entry != end;
       entry.increment(failure)) {
    const auto name = entry->path().filename().string();
    if (name.size() <= kDatabaseSuffix.size() || !name.ends_with(kDatabaseSuffix)) continue;
    if (auto id = parse_id(kWorkspaceIdPrefix, name.substr(0, name.size() - kDatabaseSuffix.size()))) ids.push_back(*id);
  }
  if (failure && failure != std::errc::no_such_file_or_directory)
    return Error{ErrorCode::Internal, "cannot list " + directory.string() + ": " + failure.message()};
  std::sort(ids.begin(), ids.end());
  return ids;
}

unsigned owning_worker(std::int64_t workspace_id, unsigned worker_count) {
  if (worker_count <= 1) return 0;
  // A 64-bit mix (SplitMix64's finaliser): neighbouring ids land on unrelated workers.
  auto bits = static_cast<std::uint64_t>(workspace_id);
  bits ^= bits >> 30;
  bits *= 0xbf58476d1ce4e5b9ULL;
  bits ^= bits >> 27;
  bits *= 0x94d049bb133111ebULL;
  bits ^= bits >> 31;
  return static_cast<unsigned>(bits % worker_count);
}

}  // namespace leadline::store
