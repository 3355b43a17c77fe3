@0xd1c5e5a0b7f0a001;
# Mixed sizes in ordinal order force hole filling; unions nest in groups in unions.
struct Torture {
  b0 @0 :Bool;
  i8 @1 :Int8;
  i64 @2 :Int64;
  b1 @3 :Bool;
  i16 @4 :Int16;
  i32 @5 :Int32;
  u8 @6 :UInt8;
  t @7 :Text;
  f32 @8 :Float32;
  b2 @9 :Bool;
  outer :union {
    a @10 :UInt16;
    g :group {
      x @11 :Bool;
      inner :union {
        p @12 :Int64;
        q @13 :UInt8;
        r :group { r1 @14 :Int32; r2 @15 :Text; r3 @16 :Bool; }
      }
      y @17 :Float64;
    }
    c @18 :Data;
    d @19 :Int32;
  }
  union {
    v0 @20 :Void;
    v1 @21 :UInt32;
    v2 @22 :List(Bool);
    v3 @23 :Int8;
  }
  e @24 :UInt16;
  b3 @25 :Bool;
  grp :group {
    gb @26 :Bool;
    gu :union { ga @27 :Int16; gc @28 :Float32; gd @29 :Int64; }
  }
  last @30 :Int8;
}
struct Widen {
  u :union {
    a @0 :Bool;
    b @1 :Int8;
    c @2 :Int16;
    d @3 :Int32;
    e @4 :Int64;
  }
  after @5 :Bool;
  u2 :union {
    f @6 :Int8;
    g :group { h @7 :Bool; i @8 :Int16; j @9 :Int8; }
  }
}
