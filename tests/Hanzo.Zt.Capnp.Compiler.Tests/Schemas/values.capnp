@0xd1c5e5a0b7f0a003;
const hex :UInt32 = 0xff;
const octal :Int16 = 0777;
const neg :Int64 = -9223372036854775808;
const big :UInt64 = 18446744073709551615;
const pi :Float64 = 3.14159;
const exp :Float32 = -1.5e3;
const posInf :Float64 = inf;
const negInf :Float32 = -inf;
const notANumber :Float64 = nan;
const text :Text = "tab\there \"quoted\" \x41\101";
const bytes :Data = 0x"de ad be ef";
const yes :Bool = true;
const nothing :Void = void;
const ref :UInt32 = .hex;
const list :List(Text) = ["a", "b"];
const nested :List(List(Int8)) = [[1, -2], []];
const point :Point = (x = 1, y = -2, label = "p", tags = [1, 2], color = green);
const alias :Point = .point;
enum Color { red @0; green @1; blue @2 $tag("b"); }
struct Point {
  x @0 :Int32 = 7;
  y @1 :Int32 = .octal;
  label @2 :Text = "origin";
  tags @3 :List(UInt8) = [3];
  color @4 :Color = blue;
  f @5 :Float32 = 1;
  d @6 :Data = "raw";
}
annotation tag(struct, enumerant, field, enum, const) :Text;
annotation marker(*) :Void;
annotation config(file) :Point;
$config(x = 5, label = "file");
struct Annotated $tag("s") $marker {
  a @0 :Int32 $tag("f");
}
