@0xd5a2f7c1b3e94a01;
# Every feature of the wire format, for round trips against the reference tool.

enum Color {
  red @0;
  green @1;
  blue @2;
}

struct Small {
  id @0 :UInt32;
  name @1 :Text;
  flag @2 :Bool;
}

struct Everything {
  voidField @0 :Void;
  boolField @1 :Bool;
  int8Field @2 :Int8;
  int16Field @3 :Int16;
  int32Field @4 :Int32;
  int64Field @5 :Int64;
  uint8Field @6 :UInt8;
  uint16Field @7 :UInt16;
  uint32Field @8 :UInt32;
  uint64Field @9 :UInt64;
  float32Field @10 :Float32;
  float64Field @11 :Float64;
  textField @12 :Text;
  dataField @13 :Data;
  structField @14 :Small;
  enumField @15 :Color;

  voidList @16 :List(Void);
  boolList @17 :List(Bool);
  int8List @18 :List(Int8);
  int16List @19 :List(Int16);
  int32List @20 :List(Int32);
  int64List @21 :List(Int64);
  uint8List @22 :List(UInt8);
  uint16List @23 :List(UInt16);
  uint32List @24 :List(UInt32);
  uint64List @25 :List(UInt64);
  float32List @26 :List(Float32);
  float64List @27 :List(Float64);
  textList @28 :List(Text);
  dataList @29 :List(Data);
  structList @30 :List(Small);
  enumList @31 :List(Color);
  listList @32 :List(List(Int32));

  defaults :group {
    int32 @33 :Int32 = -123;
    uint64 @34 :UInt64 = 12345678901234;
    float64 @35 :Float64 = 1.5;
    bool @36 :Bool = true;
    text @37 :Text = "hello";
    color @38 :Color = blue;
  }

  choice :union {
    none @39 :Void;
    number @40 :Int64;
    word @41 :Text;
    nested @42 :Small;
  }

  shape :group {
    union {
      circle @43 :Float64;
      square :group {
        side @44 :UInt16;
        label @45 :Text;
      }
    }
  }

  self @46 :Everything;
  selfList @47 :List(Everything);
}
