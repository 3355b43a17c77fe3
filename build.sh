#!/usr/bin/env bash
# Build and test entry point.
#   ./build.sh           build the solution
#   ./build.sh test      install what the tests need (when missing), then run every test
#   ./build.sh bench     run the benchmarks (Release); bench rpc|fabric|controller for the end-to-end ones
#   ./build.sh pack      build, then write the NuGet packages (SDK, tool, templates, ...) to artifacts/packages
#   ./build.sh public-api record the public API of every shipped project (src/, plugins/) in its PublicAPI.Unshipped.txt
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_apt=()
ensure_tool() { command -v "$1" >/dev/null 2>&1 || need_apt+=("$2"); }

install_test_prerequisites() {
  ensure_tool capnp capnproto
  ensure_tool pkg-config pkg-config
  ensure_tool g++ g++
  ensure_tool node nodejs
  ensure_tool npm npm
  ensure_tool ss iproute2
  # The NAT lab (tests/Hanzo.Zt.IntegrationTests/NatLab) builds NATs with iptables and flushes them with conntrack.
  ensure_tool iptables iptables
  ensure_tool conntrack conntrack
  [ -f /usr/include/capnp/rpc.h ] || need_apt+=(libcapnp-dev)
  # The controller tests start their own PostgreSQL server (its binaries are not on PATH).
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_apt+=(postgresql)
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing: ${need_apt[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
}

# The public API of every shipped project is tracked in PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt (see
# Directory.Build.props); a public change missing from them fails the build. This records the current API:
# additions by dotnet format's fix for RS0016; removals (RS0017, which has no fix) struck from Unshipped, or marked
# *REMOVED* there when they had shipped.
record_public_api() {
  local projects=(src/*/*.csproj plugins/*/*.csproj) project dir
  for project in "${projects[@]}"; do
    dir=$(dirname "$project")
    [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' >"$dir/PublicAPI.Shipped.txt"
    [ -f "$dir/PublicAPI.Unshipped.txt" ] || : >"$dir/PublicAPI.Unshipped.txt"
  done
  for project in "${projects[@]}"; do
    echo "recording the public API of $project"
    dotnet format analyzers "$project" --diagnostics RS0016 RS0037 --severity warn
  done
  # RS0017 as a warning here, so that every project compiles and reports its removals in one pass.
  local log
  log=$(mktemp)
  for project in "${projects[@]}"; do
    dotnet build "$project" -c Release -nologo -p:WarningsAsErrors= -p:TreatWarningsAsErrors=false >>"$log" 2>&1 || true
  done
  python3 - "$log" <<'PY'
import re, sys
pattern = re.compile(r"^(.*PublicAPI\.(Shipped|Unshipped)\.txt)\((\d+),\d+\): (?:warning|error) RS0017: Symbol '(.*)' is part of the declared API")
gone = {}
for line in open(sys.argv[1], encoding="utf-8"):
    m = pattern.match(line.strip())
    if m:
        gone.setdefault((m[1], m[2]), {})[int(m[3])] = m[4]
for (path, kind), symbols in gone.items():
    unshipped = path.replace("PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt")
    lines = open(unshipped, encoding="utf-8").read().splitlines()
    if kind == "Unshipped":
        lines = [l for i, l in enumerate(lines, 1) if i not in symbols]
    else:
        lines += ["*REMOVED*" + s for s in symbols.values() if "*REMOVED*" + s not in lines]
    open(unshipped, "w", encoding="utf-8").write("".join(l + "\n" for l in lines))
    print(f"{unshipped}: {len(symbols)} removed from the public API")
PY
  rm -f "$log"
}

case "${1:-build}" in
  build)
    dotnet build Hanzo.Zt.Framework.sln -c Release
    ;;
  test)
    install_test_prerequisites
    dotnet build Hanzo.Zt.Framework.sln -c Release
    dotnet test Hanzo.Zt.Framework.sln -c Release --no-build -- RunConfiguration.TestSessionTimeout=3600000
    ;;
  pack)
    dotnet build Hanzo.Zt.Framework.sln -c Release
    dotnet pack Hanzo.Zt.Framework.sln -c Release --no-build
    ;;
  public-api)
    record_public_api
    ;;
  bench)
    shift
    # Built first, then run as its own process: `dotnet run` keeps a CLI process of its own alive beside the
    # benchmark, which takes CPU from what is being measured.
    dotnet build tests/Hanzo.Zt.Benchmarks -c Release -nologo -v q
    exec dotnet tests/Hanzo.Zt.Benchmarks/bin/Release/net10.0/Hanzo.Zt.Benchmarks.dll "$@"
    ;;
  *)
    echo "usage: ./build.sh [build|test|bench|pack|public-api]" >&2
    exit 2
    ;;
esac
