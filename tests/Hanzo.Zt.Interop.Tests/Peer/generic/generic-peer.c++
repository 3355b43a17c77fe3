// A peer on the reference Cap'n Proto RPC for depot.capnp's generic Store(T), used as Store(Tile) and Store(Text).
//
//   generic-peer depot-serve HOST:PORT    serves a Depot; prints "listening on port <n>"
//   generic-peer depot-client HOST:PORT   calls a Depot's stores; prints "<check>: PASS|FAIL" per check and
//                                         exits 0 only when every check passed

#include <capnp/ez-rpc.h>
#include <kj/debug.h>
#include <cctype>
#include <iostream>
#include <string>
#include <utility>
#include "depot.capnp.h"

namespace {

class TileStore final : public Store<Tile>::Server {
 protected:
  kj::Promise<void> put(PutContext context) override {
    auto value = context.getParams().getValue();
    x += value.getX();
    y += value.getY();
    return kj::READY_NOW;
  }

  kj::Promise<void> get(GetContext context) override {
    auto value = context.getResults().initValue();
    value.setX(x);
    value.setY(y);
    return kj::READY_NOW;
  }

 private:
  int x = 0;
  int y = 0;
};

class TextStore final : public Store<capnp::Text>::Server {
 protected:
  kj::Promise<void> put(PutContext context) override {
    text += context.getParams().getValue().cStr();
    return kj::READY_NOW;
  }

  kj::Promise<void> get(GetContext context) override {
    std::string upper = text;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    context.getResults().setValue(upper);
    return kj::READY_NOW;
  }

 private:
  std::string text;
};

class DepotService final : public Depot::Server {
 protected:
  kj::Promise<void> tiles(TilesContext context) override {
    context.getResults().setStore(kj::heap<TileStore>());
    return kj::READY_NOW;
  }

  kj::Promise<void> labels(LabelsContext context) override {
    context.getResults().setStore(kj::heap<TextStore>());
    return kj::READY_NOW;
  }
};

bool report(const char* check, bool pass) {
  std::cout << check << ": " << (pass ? "PASS" : "FAIL") << std::endl;
  return pass;
}

int depotClient(capnp::EzRpcClient& client) {
  auto& ws = client.getWaitScope();
  auto depot = client.getMain<Depot>();
  bool ok = true;

  auto tiles = depot.tilesRequest().send().getStore();  // pipelined
  for (auto tile : {std::make_pair(1, 10), std::make_pair(2, 20)}) {
    auto request = tiles.putRequest();
    auto value = request.initValue();
    value.setX(tile.first);
    value.setY(tile.second);
    request.send().wait(ws);
  }
  auto tile = tiles.getRequest().send().wait(ws).getValue();
  ok &= report("tiles", tile.getX() == 3 && tile.getY() == 30);

  auto labels = depot.labelsRequest().send().getStore();
  for (auto part : {"ab", "cd"}) {
    auto request = labels.putRequest();
    request.setValue(part);
    request.send().wait(ws);
  }
  auto text = labels.getRequest().send().wait(ws);
  ok &= report("labels", text.getValue() == "ABCD");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, const char* argv[]) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " depot-serve|depot-client HOST:PORT" << std::endl;
    return 2;
  }

  kj::StringPtr mode = argv[1];
  if (mode == "depot-serve") {
    capnp::EzRpcServer server(kj::heap<DepotService>(), argv[2]);
    auto& ws = server.getWaitScope();
    std::cout << "listening on port " << server.getPort().wait(ws) << std::endl;
    kj::NEVER_DONE.wait(ws);
  }

  if (mode == "depot-client") {
    capnp::EzRpcClient client(argv[2]);
    return depotClient(client);
  }

  std::cerr << "unknown mode " << mode.cStr() << std::endl;
  return 2;
}
