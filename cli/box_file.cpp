// Reads box files with toml++ and turns them into `umol4 run` arguments, so
// that a box file and a command line mean the same and are checked by the
// same option rules.
#include "cli/box_file.hpp"

#include <CLI/CLI.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

namespace umol4::cli {
namespace {

namespace fs = std::filesystem;

// Keys that are the images, not options.
constexpr const char* image_keys[] = {"sigma0", "root", "module"};

std::string where(const toml::node& n, const std::string& file)
{
    const auto& at = n.source().begin;
    return fmt::format("{}:{}:{}", file, at.line, at.column);
}

// An image: "PATH [ARGUMENTS]" or { path = "...", args = ["...", ...] };
// the path is taken relative to the box file's folder.
std::string image_line(const toml::node& n, const fs::path& folder, const std::string& file, const std::string& key)
{
    std::string path, args;
    if (auto s = n.value<std::string>()) {
        auto space = s->find_first_of(" \t");
        path = s->substr(0, space);
        if (space != std::string::npos) args = s->substr(space);
    } else if (const auto* t = n.as_table()) {
        for (const auto& [k, v] : *t)
            if (k != "path" && k != "args")
                throw Box_file_error(fmt::format("{}: {}: unknown key '{}' (an image has path and args)",
                                                 where(v, file), key, k.str()));
        auto p = (*t)["path"].value<std::string>();
        if (!p) throw Box_file_error(fmt::format("{}: {}: no path", where(n, file), key));
        path = *p;
        if (auto* a = (*t)["args"].as_array()) {
            for (const auto& arg : *a) {
                auto text = arg.value<std::string>();
                if (!text || text->empty() || text->find_first_of(" \t\n") != std::string::npos)
                    throw Box_file_error(fmt::format("{}: {}: each argument a word of text (a boot command line "
                                                     "is split at spaces)", where(arg, file), key));
                args += " " + *text;
            }
        } else if ((*t)["args"]) {
            throw Box_file_error(fmt::format("{}: {}: args is a list of words", where(n, file), key));
        }
    } else {
        throw Box_file_error(fmt::format("{}: {}: an image is \"PATH [ARGUMENTS]\" or {{ path = ..., args = [...] }}",
                                         where(n, file), key));
    }
    if (path.empty()) throw Box_file_error(fmt::format("{}: {}: empty path", where(n, file), key));
    fs::path p(path);
    if (p.is_relative()) p = folder / p;
    return p.lexically_normal().string() + args;
}

// One option of `umol4 run`, by its long name: a flag takes true/false (a
// counted one a number), any other option its value as text.
void add_option(std::vector<std::string>& out, const std::string& key, const toml::node& value,
                const CLI::App& run, const std::string& file, const fs::path& folder)
{
    const CLI::Option* opt = run.get_option_no_throw("--" + key);
    if (!opt || !opt->nonpositional() || key == "help")
        throw Box_file_error(fmt::format("{}: unknown key '{}' (the keys are umol4 run's long options, and "
                                         "sigma0, root, module)", where(value, file), key));
    std::string const name = "--" + key;
    bool const flag = opt->get_expected_min() == 0;
    if (flag) {
        if (auto b = value.value_exact<bool>()) {
            if (*b) out.push_back(name);
        } else if (auto n = value.value_exact<int64_t>(); n && *n >= 0 && *n <= 16) {
            for (int64_t i = 0; i < *n; ++i) out.push_back(name);
        } else {
            throw Box_file_error(fmt::format("{}: {}: true or false", where(value, file), key));
        }
        return;
    }
    std::string text;
    if (auto s = value.value_exact<std::string>())
        text = *s;
    else if (auto i = value.value_exact<int64_t>())
        text = std::to_string(*i);
    else if (auto d = value.value_exact<double>())
        text = fmt::format("{}", *d);
    else
        throw Box_file_error(fmt::format("{}: {}: a number or text", where(value, file), key));
    // A file an option reads is found beside the box file, as the images are.
    if (key == "console-input" && fs::path(text).is_relative()) text = (folder / text).lexically_normal().string();
    out.push_back(name + "=" + text);  // (one word: a value may start with '-')
}

}  // namespace

bool is_box_file_name(const std::string& image)
{
    return image.size() > 5 && image.compare(image.size() - 5, 5, ".toml") == 0 && image.find(' ') == std::string::npos;
}

Box_file_arguments box_file_arguments(const std::string& path, const CLI::App& run)
{
    toml::table box;
    try {
        box = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        const auto& at = e.source().begin;
        throw Box_file_error(fmt::format("{}:{}:{}: {}", path, at.line, at.column, e.description()));
    }
    fs::path const folder = fs::path(path).parent_path();
    std::vector<std::string> options, images;
    for (const auto& [k, v] : box) {
        std::string key(k.str());
        if (std::find(std::begin(image_keys), std::end(image_keys), key) != std::end(image_keys)) continue;
        add_option(options, key, v, run, path, folder);
    }
    for (const char* key : {"sigma0", "root"}) {
        const toml::node* n = box.get(key);
        if (!n) throw Box_file_error(fmt::format("{}: no {} (the box's {} image)", path, key,
                                                 key == std::string("root") ? "root task" : "root pager"));
        images.push_back(image_line(*n, folder, path, key));
    }
    if (const toml::node* m = box.get("module")) {
        const toml::array* list = m->as_array();
        if (!list) throw Box_file_error(fmt::format("{}: module: a list of images ([[module]] tables, or "
                                                    "module = [...])", where(*m, path)));
        for (const auto& item : *list) images.push_back(image_line(item, folder, path, "module"));
    }
    return {options, images};
}

}  // namespace umol4::cli
