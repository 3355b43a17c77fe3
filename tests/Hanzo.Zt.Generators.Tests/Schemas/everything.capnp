@0xd6d4e1a3b2c5f701;
# Every kind of field the generator maps, checked against the reference capnp encode/decode.

enum Color {
  red @0;
  green @1;
  blue @2;
}

const answer :Int32 = 42;
const greeting :Text = "hello";
const favorite :Color = blue;

struct Point {
  x @0 :Float64;
  y @1 :Float64;
}

struct Everything {
  flag @0 :Bool = true;
  small @1 :Int8 = -5;
  count @2 :UInt16;
  big @3 :Int64 = 1234567890123;
  ratio @4 :Float32 = 1.5;
  precise @5 :Float64;
  name @6 :Text = "anonymous";
  blob @7 :Data;
  color @8 :Color = green;
  origin @9 :Point;
  numbers @10 :List(Int32);
  words @11 :List(Text);
  path @12 :List(Point);
  shape :union {
    circle @13 :Float64;
    square @14 :Float64;
    none @15 :Void;
  }
  meta :group {
    author @16 :Text;
    version @17 :UInt32 = 7;
  }
  flags @18 :List(Bool);
  colors @19 :List(Color);
  const limit :UInt64 = 18446744073709551615;
}
