@0xf607610742b7375f;
# A generic interface used with arguments, for interop between generated typed ZAP stubs and the reference C++ RPC.

struct Tile {
  x @0 :Int32;
  y @1 :Int32;
}

interface Store(T) {
  put @0 (value :T) -> ();
  get @1 () -> (value :T);
  # Tiles: the sum of those put; text: the concatenation of what was put, upper-cased.
}

interface Depot {
  tiles @0 () -> (store :Store(Tile));
  labels @1 () -> (store :Store(Text));
}
