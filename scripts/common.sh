# Shared by scripts/run-app and scripts/run-tests: install what is missing, then build.
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${SAFETILL_BUILD_DIR:-$root_dir/build}

# install_missing_packages LIST...: the Debian packages named in scripts/LIST (one per line,
# # comments) that are not installed yet, e.g. `install_missing_packages packages-app.txt`.
install_missing_packages() {
    local wanted=() missing=() list
    for list in "$@"; do
        mapfile -t -O "${#wanted[@]}" wanted < <(grep -vE '^\s*(#|$)' "$root_dir/scripts/$list")
    done
    for package in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
}

# build [TARGET...]: configures build/ and builds those targets (everything without any).
build() {
    # SAFETILL_CMAKE_OPTIONS: extra configure options, e.g. CI's -DSAFETILL_BENCH=OFF.
    # shellcheck disable=SC2086
    # -g1: line tables and function names (what a crash's backtrace needs), no local variables:
    # a third less compile time than -g on the test sources, which CI's 30 minutes feel.
    cmake -S "$root_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
        -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" ${SAFETILL_CMAKE_OPTIONS:-}
    local targets=()
    for target in "$@"; do
        targets+=(--target "$target")
    done
    cmake --build "$build_dir" "${targets[@]}"
}
