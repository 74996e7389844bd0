// The error of everything that prepares a box before it runs (images,
// options, memory layout): one line naming the file or option and the problem.
#pragma once

#include <stdexcept>
#include <string>

namespace umol4 {

class Boot_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace umol4
