// System calls as the core sees them: the generated Syscall enum, frame and
// typed views (from syscall-bindings/x2.toml).
#pragma once

#include "umol4/gen/syscall_frame.hpp"
