@0x8d4c98011530cd34;
# Generic interfaces used with arguments (typed clients and servers) and generic methods (bound per call).

struct Tile {
  x @0 :Int32;
  y @1 :Int32;
}

interface Store(T) {
  put @0 (value :T) -> ();
  get @1 () -> (value :T);
}

interface Shelf {
  points @0 () -> (store :Store(Tile));
  texts @1 () -> (store :Store(Text));
  lookup @2 () -> (store :Store(Text));
  # A Store(Text) served by an untyped Store server.
}

interface Lookup {
  get @0 [U] (key :U) -> (value :U, hits :UInt32);
  # U is bound at each call; the server sees it unbound, as the reference's servers do.
}

struct TileKey {
  # Lookup.get's parameters with U bound to Tile, spelled out for the reference tool to decode and encode.
  key @0 :Tile;
}

struct Label {
  text @0 :Text;
}

interface Shop(T) extends(Store(T)) {
  count @0 () -> (count :UInt32);
}

struct Fixtures {
  # Generic interfaces in other positions: extending a generic interface, and an interface as the argument.
  shop @0 :Shop(Tile);
  nested @1 :Store(Store(Text));
}

using LabelStore = Store(Label);
# Typed stubs named by the alias (ILabelStore, LabelStoreClient, ...), though nothing else uses Store(Label).
