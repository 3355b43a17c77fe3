@0xbf5147cbbecf40c1;
struct Foo {
  a @0 :Int32 = -5;
  b @1 :Text;
  u :union {
    x @2 :Bool;
    y @3 :Float64;
    g :group { p @4 :UInt8; q @5 :List(Int32); }
  }
  union { m @6 :Void; n @7 :Data; }
  e @8 :E = second;
  enum E { first @0; second @1; }
  const k :UInt32 = 0x10;
}
interface I extends(J) {
  f @0 (a :Int32, b :Text = "x") -> (r :Foo);
  g @1 Foo -> ();
}
interface J {}
annotation ann(struct, field) :Text;
const c :List(Int32) = [1, 2];
struct G(T) { t @0 :T; }
