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
}
