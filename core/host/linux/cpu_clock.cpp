// Ptrace_host: the host CPU's clock, for the KIP's processor descriptors.
#include <fstream>
#include <stdexcept>
#include <string>

#include "core/host/linux/ptrace_host.hpp"

namespace umol4::linux_host {

// Linux's own figure of the CPU clock ("cpu MHz" in /proc/cpuinfo, x86; on
// x86 with a constant TSC it is also the rate rdtsc counts at).  Elsewhere
// the cpufreq driver's, if any.
Word Ptrace_host::cpu_khz() const
{
    std::ifstream info("/proc/cpuinfo");
    for (std::string line; std::getline(info, line);) {
        if (line.rfind("cpu MHz", 0) != 0) continue;
        auto colon = line.find(':');
        if (colon == std::string::npos) break;
        try {
            return static_cast<Word>(std::stod(line.substr(colon + 1)) * 1000.0 + 0.5);
        } catch (const std::exception&) {
            break;  // not a number: unknown
        }
    }
    Word khz = 0;
    std::ifstream freq("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
    if (freq) freq >> khz;
    return khz;
}

}  // namespace umol4::linux_host
