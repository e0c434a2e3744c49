# shellcheck shell=bash
# Shared helpers for the scripts in scripts/: sourced, never run.
# Keeps the Swift lookup, section headers and "die" wording in one place so
# every entry point fails the same, readable way.

# The repository root, whatever the caller's working directory.
WGMESH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Prints a section header that stands out in long CI logs.
section() {
    printf '\n==== %s ====\n' "$*"
}

# Prints a message to stderr and exits non-zero.
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Puts the Swift toolchain on PATH: CI's environment may not have it.
ensure_swift_on_path() {
    if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
        PATH="$PATH:/opt/swift/usr/bin"
        export PATH
    fi
    command -v swift >/dev/null 2>&1 ||
        die "Swift 6.3 not found: install it at /opt/swift (so /opt/swift/usr/bin/swift exists) or put it on PATH"
}

# Puts pip's script folders on PATH so a `pip install`ed vng is found.
ensure_pip_bin_on_path() {
    local dir
    for dir in /root/.pyenv/shims /root/.local/bin /usr/local/bin; do
        case ":$PATH:" in *":$dir:"*) ;; *) [ -d "$dir" ] && PATH="$PATH:$dir" ;; esac
    done
    export PATH
}

# Prints the python3 that has the `cryptography` package, else any python3.
# The config generator is faster with it but works without it.
pick_python() {
    local py
    for py in python3 /usr/bin/python3; do
        if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import cryptography' 2>/dev/null; then
            command -v "$py"
            return
        fi
    done
    command -v python3 || echo /usr/bin/python3
}
