@0xc1a7e2f04b9d3a64;
# Generic structs used with arguments: typed readers and builders, checked against the reference.

struct Coord {
  x @0 :Int32;
  y @1 :Int32;
}

struct Box(T) {
  value @0 :T;
  label @1 :Text;
}

struct Pair(A, B) {
  first @0 :A;
  second @1 :B;
  both :group {
    again @2 :A;
  }
}

struct Outer(T) {
  struct Inner {
    item @0 :T;
    items @1 :List(Box(T));
  }
  inner @0 :Inner;
  boxed @1 :Box(T);
}

struct Tree(T) {
  # Brands bound across nested scopes: Leaf uses the parameters of both enclosing generic scopes.
  struct Branch(U) {
    struct Leaf {
      t @0 :T;
      u @1 :U;
      pairs @2 :List(Pair(T, U));
    }
    leaf @0 :Leaf;
    boxed @1 :Box(U);
  }
}

struct Catalog(T) {
  # An interface nested in a generic struct, using the struct's parameter.
  interface Source {
    fetch @0 () -> (item :T);
  }
}

interface Notifier {
  notify @0 (text :Text) -> ();
}

struct Holder {
  coord @0 :Box(Coord);
  text @1 :Box(Text);
  list @2 :Box(List(Int32));
  pair @3 :Pair(Coord, Text);
  nested @4 :Outer(Coord).Inner;
  outer @5 :Outer(Text);
  boxes @6 :List(Box(Coord));
  greeter @7 :Box(Notifier);
  data @8 :Box(Data);
  leaf @9 :Tree(Coord).Branch(Text).Leaf;
  branch @10 :Tree(Text).Branch(Coord);
  source @11 :Catalog(Coord).Source;
}
