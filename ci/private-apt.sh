# Sourced by the scripts that fetch Debian packages for the build: sets
# apt_opts, the options of an apt that keeps its lists, downloads and an
# empty status under STATE and never touches the host's dpkg state or locks
# (no root needed).  Further -o options follow STATE.
#   private_apt STATE [-o OPTION=VALUE ...]
private_apt() {
  local state=$1; shift
  mkdir -p "$state/lists/partial" "$state/archives/partial"
  : >"$state/status"
  apt_opts=(-o "Dir::State::Lists=$state/lists" -o "Dir::State::status=$state/status"
    -o "Dir::Cache=$state" -o "Dir::Cache::archives=$state/archives"
    -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root" -q "$@")
}
