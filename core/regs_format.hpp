// Generic printing and comparison of register files described with Boost.Hana.
#pragma once

#include <boost/hana/accessors.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/keys.hpp>
#include <boost/hana/members.hpp>
#include <boost/hana/string.hpp>

#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace umol4 {

// "rax=0x1 rbx=0x2 ..." in the struct's (ptrace) order.
template <class Regs>
std::string format_regs(const Regs& regs)
{
    std::string out;
    boost::hana::for_each(boost::hana::accessors<Regs>(), [&](auto pair) {
        if (!out.empty()) out += ' ';
        fmt::format_to(std::back_inserter(out), "{}={:#x}", boost::hana::to<const char*>(boost::hana::first(pair)),
                       static_cast<std::uint64_t>(boost::hana::second(pair)(regs)));
    });
    return out;
}

// Names of the registers whose values differ, e.g. for test messages.
template <class Regs>
std::string diff_regs(const Regs& a, const Regs& b)
{
    std::string out;
    boost::hana::for_each(boost::hana::accessors<Regs>(), [&](auto pair) {
        auto get = boost::hana::second(pair);
        if (get(a) != get(b)) {
            if (!out.empty()) out += ' ';
            out += boost::hana::to<const char*>(boost::hana::first(pair));
        }
    });
    return out;
}

}  // namespace umol4
