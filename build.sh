#!/usr/bin/env bash
# Build and test entry point.
#   ./build.sh           build the solution
#   ./build.sh test      install what the tests need (when missing), then run every test
#   ./build.sh bench     run the benchmarks (Release); bench rpc|fabric|controller for the end-to-end ones
#   ./build.sh pack      build, then write the NuGet packages (SDK, tool, templates, ...) to artifacts/packages
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
  bench)
    shift
    dotnet run -c Release --project tests/Hanzo.Zt.Benchmarks -- "$@"
    ;;
  *)
    echo "usage: ./build.sh [build|test|bench|pack]" >&2
    exit 2
    ;;
esac
