#pragma once
// Converts the single-file layout (one database for every workspace) into a data folder: one
// database per workspace and the catalog, each verified against the original before the
// original is retired.

#include "leadline/result.hpp"
#include "store/data_folder.hpp"

#include <string>
#include <vector>

namespace leadline::store {

struct SingleFileUpgrade {
  bool found = false;       ///< a single-file database was there to convert
  bool done = false;        ///< nothing is left: the folder is ready and the single file retired
  int workspaces = 0;       ///< workspaces in the single file
  int converted = 0;        ///< workspaces this call converted
  std::vector<std::string> written;  ///< files this call wrote or moved (the host syncs them)
  std::string retired_to;   ///< where the single file went when done
};

/// Converts up to `max_workspaces` more workspaces of the single file at `single_file` into
/// `folder`, then (once all are there) the catalog, then moves the single file to
/// `single_file + ".converted"` (kept until an operator removes it). Each database is written as
/// `….partial`, compared with the original — rows and a SHA-256 per table — and only then renamed
/// into place; the catalog comes last, so a folder with a catalog is a finished conversion. A
/// process killed at any point leaves partial files the next call discards and redoes. A copy
/// that does not match is an error and the original stays where it was.
Result<SingleFileUpgrade> upgrade_single_file(const std::string& single_file, const DataFolder& folder,
                                              int max_workspaces);

}  // namespace leadline::store
