// Box files: `umol4 run box.toml` boots the box the file describes, as if
// its options and images were on the command line (docs/box-files.md).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace umol4::cli {

// A box file that cannot be read or says something `umol4 run` does not take.
class Box_file_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Whether a command line's first image names a box file (by its ".toml").
bool is_box_file_name(const std::string& image);

// The arguments of `umol4 run` the box file at `path` stands for: its
// options (keys named like run's long options, as --key=value) and its
// images (boot command lines, paths relative to the file's folder).
struct Box_file_arguments {
    std::vector<std::string> options, images;
};
Box_file_arguments box_file_arguments(const std::string& path, const CLI::App& run);

}  // namespace umol4::cli
