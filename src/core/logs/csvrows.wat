;; The CSV row loop of fastpath.ts / CsvReader.fusedRows and the JSONL loop of RecordSink.fastLine for
;; lines of a known shape, as WebAssembly (csvWasm.ts loads it; the module's bytes are made by
;; `node scripts/wasm.mjs`, and a unit test checks they are this text's). A number is read by $quick
;; (correctly rounded: Clinger's exact cases, else $eisel), which gives the double readNumber gives
;; where readNumber decides and the TypeScript conversion's where it does not; text $quick does not
;; take goes to readNumber, scaled and twoProductError, which do what their TypeScript twins do,
;; operation for operation in the same order. fieldEnd and rowEnd are fastpath.ts's, 16 bytes at a
;; time. `rows` reads rows while each is one the fast path reads without a second look (every kept
;; cell a plain number, or empty in a run; the header's number of fields; "\n" or "\r\n" line ends)
;; and stops at any other row, which the caller then reads itself (the TypeScript fusedRows); `lines`
;; does the same for JSONL lines (matchTemplate): the result is always the same.
;;
;; Memory (set by csvWasm.ts): bytes 0-183 10^0..10^22, 184-367 their Veltkamp high halves,
;; 368-551 their low halves, 552 SPLIT, 560 2^-89, 568 1e-250, 576 1e250 (as doubles);
;; 1024 the kept column of each field (i32, -1 none; at most WASM_MAX_FIELDS fields); 20480 the 128-bit
;; truncated powers 5^-342 … 5^308 (i64 high, i64 low: Eisel-Lemire's table); 32768 and 49152 two JSONL line
;; templates (see `lines`); 65536 the values of the
;; rows read (f64, column after column, `maxRows` each; at most 1 MB); 2 MB on: the bytes read.
(module
  (memory (export "memory") 48)
  (global $end (mut i32) (i32.const 0))
  (global $count (mut i32) (i32.const 0))
  (global $stop (mut i32) (i32.const 0))
  (func (export "count") (result i32) (global.get $count))
  (func (export "stop") (result i32) (global.get $stop))

  (func $pow10 (param $k i32) (result f64) (f64.load (i32.shl (local.get $k) (i32.const 3))))

  ;; a·10^k − p exactly, p = fl(a·10^k) (Dekker; 10^k split beforehand).
  (func $twoProductError (param $a f64) (param $k i32) (param $p f64) (result f64)
    (local $t f64) (local $ah f64) (local $al f64) (local $bh f64) (local $bl f64)
    (local.set $t (f64.mul (f64.load (i32.const 552)) (local.get $a)))
    (local.set $ah (f64.sub (local.get $t) (f64.sub (local.get $t) (local.get $a))))
    (local.set $al (f64.sub (local.get $a) (local.get $ah)))
    (local.set $bh (f64.load offset=184 (i32.shl (local.get $k) (i32.const 3))))
    (local.set $bl (f64.load offset=368 (i32.shl (local.get $k) (i32.const 3))))
    (f64.add
      (f64.add
        (f64.add
          (f64.sub (f64.mul (local.get $ah) (local.get $bh)) (local.get $p))
          (f64.mul (local.get $ah) (local.get $bl)))
        (f64.mul (local.get $al) (local.get $bh)))
      (f64.mul (local.get $al) (local.get $bl))))

  ;; (h + l)·10^x correctly rounded, or NaN (fastpath.ts scaled).
  (func $scaled (param $h f64) (param $l f64) (param $x i32) (result f64)
    (local $k i32) (local $p f64) (local $th f64) (local $tl f64) (local $q1 f64) (local $q2 f64) (local $t f64)
    (if (i32.or (i32.gt_s (local.get $x) (i32.const 300)) (i32.lt_s (local.get $x) (i32.const -300)))
      (then (return (f64.const nan))))
    (block $up
      (loop $upl
        (br_if $up (i32.le_s (local.get $x) (i32.const 0)))
        (local.set $k (select (i32.const 22) (local.get $x) (i32.gt_s (local.get $x) (i32.const 22))))
        (local.set $p (call $pow10 (local.get $k)))
        (local.set $th (f64.mul (local.get $h) (local.get $p)))
        (local.set $tl (f64.add (call $twoProductError (local.get $h) (local.get $k) (local.get $th)) (f64.mul (local.get $l) (local.get $p))))
        (local.set $h (f64.add (local.get $th) (local.get $tl)))
        (local.set $l (f64.sub (local.get $tl) (f64.sub (local.get $h) (local.get $th))))
        (local.set $x (i32.sub (local.get $x) (local.get $k)))
        (br $upl)))
    (block $down
      (loop $downl
        (br_if $down (i32.ge_s (local.get $x) (i32.const 0)))
        (local.set $k (select (i32.const 22) (i32.sub (i32.const 0) (local.get $x)) (i32.lt_s (local.get $x) (i32.const -22))))
        (local.set $p (call $pow10 (local.get $k)))
        (local.set $q1 (f64.div (local.get $h) (local.get $p)))
        (local.set $th (f64.mul (local.get $q1) (local.get $p)))
        (local.set $tl (call $twoProductError (local.get $q1) (local.get $k) (local.get $th)))
        (local.set $q2 (f64.div (f64.add (f64.sub (f64.sub (local.get $h) (local.get $th)) (local.get $tl)) (local.get $l)) (local.get $p)))
        (local.set $h (f64.add (local.get $q1) (local.get $q2)))
        (local.set $l (f64.sub (local.get $q2) (f64.sub (local.get $h) (local.get $q1))))
        (local.set $x (i32.add (local.get $x) (local.get $k)))
        (if (f64.lt (local.get $h) (f64.load (i32.const 568))) (then (return (f64.const nan))))
        (br $downl)))
    (if (i32.eqz (i32.and (f64.le (local.get $h) (f64.load (i32.const 576))) (f64.ge (local.get $h) (f64.load (i32.const 568)))))
      (then (return (f64.const nan))))
    (local.set $t (f64.mul (local.get $h) (f64.load (i32.const 560))))
    (if (i32.and
          (f64.eq (f64.add (local.get $h) (f64.add (local.get $l) (local.get $t))) (local.get $h))
          (f64.eq (f64.add (local.get $h) (f64.sub (local.get $l) (local.get $t))) (local.get $h)))
      (then (return (local.get $h))))
    (f64.const nan))

  ;; The high 64 bits of the 128-bit product a·b (unsigned), from four 32-bit products.
  (func $mulhi (param $a i64) (param $b i64) (result i64)
    (local $a0 i64) (local $a1 i64) (local $b0 i64) (local $b1 i64) (local $p01 i64) (local $p10 i64)
    (local.set $a0 (i64.and (local.get $a) (i64.const 0xffffffff)))
    (local.set $a1 (i64.shr_u (local.get $a) (i64.const 32)))
    (local.set $b0 (i64.and (local.get $b) (i64.const 0xffffffff)))
    (local.set $b1 (i64.shr_u (local.get $b) (i64.const 32)))
    (local.set $p01 (i64.mul (local.get $a0) (local.get $b1)))
    (local.set $p10 (i64.mul (local.get $a1) (local.get $b0)))
    (i64.add
      (i64.add (i64.mul (local.get $a1) (local.get $b1)) (i64.add (i64.shr_u (local.get $p01) (i64.const 32)) (i64.shr_u (local.get $p10) (i64.const 32))))
      (i64.shr_u
        (i64.add (i64.shr_u (i64.mul (local.get $a0) (local.get $b0)) (i64.const 32))
          (i64.add (i64.and (local.get $p01) (i64.const 0xffffffff)) (i64.and (local.get $p10) (i64.const 0xffffffff))))
        (i64.const 32))))

  ;; w·10^q correctly rounded, w > 0 (the Eisel-Lemire algorithm, as fast_float's compute_float for
  ;; doubles: Lemire, "Number Parsing at a Gigabyte per Second", 2021), or NaN where it does not
  ;; decide (a subnormal, an infinity, q outside [-342, 308], the product's low bits all ones): the
  ;; double-double path then does. The 128-bit truncated powers of five are at 20480 (csvWasm.ts).
  (func $eisel (param $w i64) (param $q i32) (result f64)
    (local $lz i64) (local $at i32) (local $hi i64) (local $lo i64) (local $h2 i64) (local $up i64)
    (local $shift i64) (local $mant i64) (local $p2 i64)
    (if (i32.or (i32.lt_s (local.get $q) (i32.const -342)) (i32.gt_s (local.get $q) (i32.const 308)))
      (then (return (f64.const nan))))
    (local.set $lz (i64.clz (local.get $w)))
    (local.set $w (i64.shl (local.get $w) (local.get $lz)))
    (local.set $at (i32.add (i32.const 20480) (i32.shl (i32.add (local.get $q) (i32.const 342)) (i32.const 4))))
    (local.set $lo (i64.mul (local.get $w) (i64.load (local.get $at))))
    (local.set $hi (call $mulhi (local.get $w) (i64.load (local.get $at))))
    (if (i64.eq (i64.and (local.get $hi) (i64.const 0x1ff)) (i64.const 0x1ff))
      (then
        (local.set $h2 (call $mulhi (local.get $w) (i64.load offset=8 (local.get $at))))
        (local.set $lo (i64.add (local.get $lo) (local.get $h2)))
        (if (i64.gt_u (local.get $h2) (local.get $lo)) (then (local.set $hi (i64.add (local.get $hi) (i64.const 1)))))))
    (if (i64.eq (local.get $lo) (i64.const -1)) (then (return (f64.const nan))))
    (local.set $up (i64.shr_u (local.get $hi) (i64.const 63)))
    (local.set $shift (i64.add (local.get $up) (i64.const 9)))
    (local.set $mant (i64.shr_u (local.get $hi) (local.get $shift)))
    (local.set $p2 (i64.add
      (i64.extend_i32_s (i32.shr_s (i32.mul (local.get $q) (i32.const 217706)) (i32.const 16)))
      (i64.sub (i64.add (local.get $up) (i64.const 1086)) (local.get $lz))))
    (if (i64.le_s (local.get $p2) (i64.const 0)) (then (return (f64.const nan))))
    ;; exactly half-way (possible for q in [-4, 23] only): to even
    (if (i32.and
          (i32.and (i64.le_u (local.get $lo) (i64.const 1)) (i32.and (i32.ge_s (local.get $q) (i32.const -4)) (i32.le_s (local.get $q) (i32.const 23))))
          (i32.and (i64.eq (i64.and (local.get $mant) (i64.const 3)) (i64.const 1)) (i64.eq (i64.shl (local.get $mant) (local.get $shift)) (local.get $hi))))
      (then (local.set $mant (i64.and (local.get $mant) (i64.const -2)))))
    (local.set $mant (i64.shr_u (i64.add (local.get $mant) (i64.and (local.get $mant) (i64.const 1))) (i64.const 1)))
    (if (i64.ge_u (local.get $mant) (i64.const 0x20000000000000))
      (then (local.set $mant (i64.const 0x10000000000000)) (local.set $p2 (i64.add (local.get $p2) (i64.const 1)))))
    (if (i64.ge_s (local.get $p2) (i64.const 2047)) (then (return (f64.const nan))))
    (f64.reinterpret_i64 (i64.or (i64.shl (local.get $p2) (i64.const 52)) (i64.and (local.get $mant) (i64.const 0xfffffffffffff)))))

  ;; The common number, without a branch a digit: [-]digits[.digits][(e|E)[+|-]digits] with at least
  ;; one digit in each part, no leading zero before another digit (JSON's grammar, within readNumber's),
  ;; at most 19 significant digits, 3 of exponent and 32 bytes before it, 48 bytes before n. Its value
  ;; correctly rounded (Clinger's exact cases, else Eisel-Lemire): the double readNumber gives when
  ;; readNumber decides (it is correctly rounded too), and the one the TypeScript loops' conversion of
  ;; the text gives when it does not; $end where it ends, where readNumber's ends. Any other text, or
  ;; Eisel-Lemire undecided: $end -2 (the caller reads it otherwise).
  (func $quick (param $a i32) (param $n i32) (result f64)
    (local $s i32) (local $neg i32) (local $v0 v128) (local $v1 v128) (local $dm i32) (local $zm i32)
    (local $il i32) (local $fl i32) (local $e i32) (local $c i32) (local $x i32) (local $xneg i32)
    (local $w i64) (local $nz i32) (local $lead i32) (local $q i32) (local $v f64)
    (local $L i32) (local $h i32) (local $k i32) (local $hv i64) (local $base v128) (local $idx v128) (local $t v128)
    (block $slow
      (br_if $slow (i32.gt_u (i32.add (local.get $a) (i32.const 48)) (local.get $n)))
      (local.set $neg (i32.eq (i32.load8_u (local.get $a)) (i32.const 45)))
      (local.set $s (i32.add (local.get $a) (local.get $neg)))
      (local.set $v0 (v128.load (local.get $s)))
      (local.set $v1 (v128.load offset=16 (local.get $s)))
      (local.set $dm (i32.or
        (i8x16.bitmask (i8x16.lt_u (i8x16.sub (local.get $v0) (i8x16.splat (i32.const 48))) (i8x16.splat (i32.const 10))))
        (i32.shl (i8x16.bitmask (i8x16.lt_u (i8x16.sub (local.get $v1) (i8x16.splat (i32.const 48))) (i8x16.splat (i32.const 10)))) (i32.const 16))))
      (local.set $il (i32.ctz (i32.xor (local.get $dm) (i32.const -1))))
      (br_if $slow (i32.or (i32.eqz (local.get $il)) (i32.ge_u (local.get $il) (i32.const 31))))
      (br_if $slow (i32.and (i32.gt_u (local.get $il) (i32.const 1)) (i32.eq (i32.load8_u (local.get $s)) (i32.const 48))))
      (local.set $e (i32.add (local.get $s) (local.get $il)))
      (local.set $c (i32.load8_u (local.get $e)))
      (if (i32.eq (local.get $c) (i32.const 46))
        (then
          (local.set $fl (i32.ctz (i32.xor (i32.shr_u (local.get $dm) (i32.add (local.get $il) (i32.const 1))) (i32.const -1))))
          (br_if $slow (i32.eqz (local.get $fl)))
          (br_if $slow (i32.ge_u (i32.add (i32.add (local.get $il) (local.get $fl)) (i32.const 1)) (i32.const 32)))
          (local.set $e (i32.add (local.get $e) (i32.add (local.get $fl) (i32.const 1))))
          (local.set $c (i32.load8_u (local.get $e)))))
      (if (i32.eq (i32.or (local.get $c) (i32.const 32)) (i32.const 101))
        (then
          (local.set $e (i32.add (local.get $e) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $e)))
          (if (i32.eq (local.get $c) (i32.const 45))
            (then (local.set $xneg (i32.const 1)) (local.set $e (i32.add (local.get $e) (i32.const 1))))
            (else (if (i32.eq (local.get $c) (i32.const 43)) (then (local.set $e (i32.add (local.get $e) (i32.const 1)))))))
          (local.set $x (i32.sub (i32.load8_u (local.get $e)) (i32.const 48)))
          (br_if $slow (i32.gt_u (local.get $x) (i32.const 9)))
          (local.set $e (i32.add (local.get $e) (i32.const 1)))
          (local.set $c (i32.sub (i32.load8_u (local.get $e)) (i32.const 48)))
          (if (i32.le_u (local.get $c) (i32.const 9))
            (then
              (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 10)) (local.get $c)))
              (local.set $e (i32.add (local.get $e) (i32.const 1)))
              (local.set $c (i32.sub (i32.load8_u (local.get $e)) (i32.const 48)))
              (if (i32.le_u (local.get $c) (i32.const 9))
                (then
                  (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 10)) (local.get $c)))
                  (local.set $e (i32.add (local.get $e) (i32.const 1)))
                  (br_if $slow (i32.le_u (i32.sub (i32.load8_u (local.get $e)) (i32.const 48)) (i32.const 9)))))))
          (if (local.get $xneg) (then (local.set $x (i32.sub (i32.const 0) (local.get $x)))))))
      ;; The digits as positions P = 0 … L−1 without the point (the byte of P at s + P, + 1 past the
      ;; point). More than 19: the leading zeros (P below P0) must leave at most 19.
      (local.set $L (i32.add (local.get $il) (local.get $fl)))
      (if (i32.gt_u (local.get $L) (i32.const 19))
        (then
          (local.set $zm (i32.or
            (i8x16.bitmask (i8x16.eq (local.get $v0) (i8x16.splat (i32.const 48))))
            (i32.shl (i8x16.bitmask (i8x16.eq (local.get $v1) (i8x16.splat (i32.const 48)))) (i32.const 16))))
          (local.set $nz (i32.and (local.get $dm) (i32.xor (local.get $zm) (i32.const -1))))
          (br_if $slow (i32.eqz (local.get $nz)))
          (local.set $lead (i32.ctz (local.get $nz)))
          (if (i32.gt_u (local.get $lead) (local.get $il)) (then (local.set $lead (i32.sub (local.get $lead) (i32.const 1)))))
          (br_if $slow (i32.gt_u (i32.sub (local.get $L) (local.get $lead)) (i32.const 19)))))
      ;; The last 16 positions (P from L−16; those below P0 + h are 0) into 16 lanes with one shuffle
      ;; of each loaded vector, then their value: pairs, fours (dot products), eights.
      (local.set $h (select (i32.sub (i32.sub (local.get $L) (local.get $lead)) (i32.const 16)) (i32.const 0)
        (i32.gt_u (i32.sub (local.get $L) (local.get $lead)) (i32.const 16))))
      (local.set $base (i8x16.add (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15) (i8x16.splat (i32.sub (local.get $L) (i32.const 16)))))
      (local.set $idx (v128.or
        (i8x16.sub (local.get $base) (i8x16.ge_s (local.get $base) (i8x16.splat (local.get $il))))
        (v128.not (i8x16.ge_s (local.get $base) (i8x16.splat (i32.add (local.get $lead) (local.get $h)))))))
      (local.set $t (v128.or
        (i8x16.swizzle (i8x16.sub (local.get $v0) (i8x16.splat (i32.const 48))) (local.get $idx))
        (i8x16.swizzle (i8x16.sub (local.get $v1) (i8x16.splat (i32.const 48))) (i8x16.sub (local.get $idx) (i8x16.splat (i32.const 16))))))
      (local.set $t (i16x8.add (i16x8.mul (v128.and (local.get $t) (i16x8.splat (i32.const 0xff))) (i16x8.splat (i32.const 10)))
        (i16x8.shr_u (local.get $t) (i32.const 8))))
      (local.set $t (i32x4.dot_i16x8_s (local.get $t) (v128.const i16x8 100 1 100 1 100 1 100 1)))
      (local.set $t (i32x4.dot_i16x8_s (i16x8.narrow_i32x4_s (local.get $t) (local.get $t)) (v128.const i16x8 10000 1 10000 1 10000 1 10000 1)))
      (local.set $w (i64.add (i64.mul (i64.extend_i32_u (i32x4.extract_lane 0 (local.get $t))) (i64.const 100000000))
        (i64.extend_i32_u (i32x4.extract_lane 1 (local.get $t)))))
      ;; the first h (at most 3) positions from P0
      (if (local.get $h)
        (then
          (local.set $k (local.get $lead))
          (local.set $h (i32.add (local.get $lead) (local.get $h)))
          (loop $head
            (local.set $hv (i64.add (i64.mul (local.get $hv) (i64.const 10))
              (i64.extend_i32_u (i32.sub (i32.load8_u (i32.add (i32.add (local.get $s) (local.get $k)) (i32.ge_u (local.get $k) (local.get $il)))) (i32.const 48)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br_if $head (i32.lt_u (local.get $k) (local.get $h))))
          (local.set $w (i64.add (i64.mul (local.get $hv) (i64.const 10000000000000000)) (local.get $w)))))
      (local.set $q (i32.sub (local.get $x) (local.get $fl)))
      (if (i64.eqz (local.get $w))
        (then (local.set $v (f64.const 0)))
        (else
          (if (i32.and (i64.lt_u (local.get $w) (i64.const 9007199254740992))
                (i32.le_u (i32.add (local.get $q) (i32.const 22)) (i32.const 44)))
            (then
              (local.set $v (f64.convert_i64_u (local.get $w)))
              (if (i32.ge_s (local.get $q) (i32.const 0))
                (then (local.set $v (f64.mul (local.get $v) (call $pow10 (local.get $q)))))
                (else (local.set $v (f64.div (local.get $v) (call $pow10 (i32.sub (i32.const 0) (local.get $q))))))))
            (else
              (local.set $v (call $eisel (local.get $w) (local.get $q)))
              (br_if $slow (f64.ne (local.get $v) (local.get $v)))))))
      (global.set $end (local.get $e))
      (return (select (f64.neg (local.get $v)) (local.get $v) (local.get $neg))))
    (global.set $end (i32.const -2))
    (f64.const 0))

  ;; The plain decimal number at [a, n) (fastpath.ts readNumber, json false); $end: where it ends, -1 none.
  (func $readNumber (param $a i32) (param $n i32) (result f64)
    (local $i i32) (local $c i32) (local $neg i32) (local $d0 i32)
    (local $mi i64) (local $nd i32) (local $q3i i64) (local $n3 i32) (local $extra i32)
    (local $bad i32) (local $dot i32) (local $intEnd i32) (local $frac i32)
    (local $x i32) (local $xneg i32) (local $x0 i32) (local $wi i64) (local $v f64) (local $words i32)
    (local $u i64) (local $u4 i32) (local $m f64) (local $q3 f64)
    (local $p f64) (local $ph f64) (local $t f64) (local $ah f64) (local $pl f64) (local $sh f64) (local $bv f64) (local $l f64) (local $h f64)
    (local.set $i (local.get $a))
    (local.set $words (i32.const 1))
    (local.set $dot (i32.const -1))
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.eq (local.get $c) (i32.const 45))
      (then (local.set $neg (i32.const 1)) (local.set $i (i32.add (local.get $i) (i32.const 1))))
      (else (if (i32.eq (local.get $c) (i32.const 43)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))))
    (local.set $d0 (local.get $i))
    ;; The significant digits as integers (exact: m below 10^15, q3 below 10^4): the first up to 15 in
    ;; m, the next up to 4 in q3, then only zeros (extra; any other digit: bad). After the first
    ;; significant digit, eight or four at a time while they fit in m (a word of ASCII digits
    ;; converted with a few integer operations); `words` off after a word that is not all digits,
    ;; until the point.
    (block $done
      (loop $dig
        (if (i32.and (local.get $words) (i32.ne (local.get $nd) (i32.const 0)))
          (then
            (if (i32.and (i32.le_u (local.get $nd) (i32.const 7)) (i32.le_u (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
              (then
                (local.set $u (i64.load (local.get $i)))
                (if (i64.eq
                      (i64.or (i64.and (local.get $u) (i64.const 0xf0f0f0f0f0f0f0f0))
                              (i64.shr_u (i64.and (i64.add (local.get $u) (i64.const 0x0606060606060606)) (i64.const 0xf0f0f0f0f0f0f0f0)) (i64.const 4)))
                      (i64.const 0x3333333333333333))
                  (then
                    (local.set $u (i64.and (local.get $u) (i64.const 0x0f0f0f0f0f0f0f0f)))
                    (local.set $u (i64.and (i64.add (i64.mul (local.get $u) (i64.const 10)) (i64.shr_u (local.get $u) (i64.const 8))) (i64.const 0x00ff00ff00ff00ff)))
                    (local.set $u (i64.and (i64.add (i64.mul (local.get $u) (i64.const 100)) (i64.shr_u (local.get $u) (i64.const 16))) (i64.const 0x0000ffff0000ffff)))
                    (local.set $u (i64.and (i64.add (i64.mul (local.get $u) (i64.const 10000)) (i64.shr_u (local.get $u) (i64.const 32))) (i64.const 0xffffffff)))
                    (local.set $mi (i64.add (i64.mul (local.get $mi) (i64.const 100000000)) (local.get $u)))
                    (local.set $nd (i32.add (local.get $nd) (i32.const 8)))
                    (local.set $i (i32.add (local.get $i) (i32.const 8)))
                    (br $dig)))))
            (if (i32.and (i32.le_u (local.get $nd) (i32.const 11)) (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
              (then
                (local.set $u4 (i32.load (local.get $i)))
                (if (i32.eq
                      (i32.or (i32.and (local.get $u4) (i32.const 0xf0f0f0f0))
                              (i32.shr_u (i32.and (i32.add (local.get $u4) (i32.const 0x06060606)) (i32.const 0xf0f0f0f0)) (i32.const 4)))
                      (i32.const 0x33333333))
                  (then
                    (local.set $u4 (i32.and (local.get $u4) (i32.const 0x0f0f0f0f)))
                    (local.set $u4 (i32.and (i32.add (i32.mul (local.get $u4) (i32.const 10)) (i32.shr_u (local.get $u4) (i32.const 8))) (i32.const 0x00ff00ff)))
                    (local.set $u4 (i32.and (i32.add (i32.mul (local.get $u4) (i32.const 100)) (i32.shr_u (local.get $u4) (i32.const 16))) (i32.const 0xffff)))
                    (local.set $mi (i64.add (i64.mul (local.get $mi) (i64.const 10000)) (i64.extend_i32_u (local.get $u4))))
                    (local.set $nd (i32.add (local.get $nd) (i32.const 4)))
                    (local.set $i (i32.add (local.get $i) (i32.const 4)))
                    (br $dig))
                  (else (local.set $words (i32.const 0))))))))
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
        (if (i32.le_u (local.get $c) (i32.const 9))
          (then
            (if (i32.lt_u (local.get $nd) (i32.const 15))
              (then
                (if (i32.or (local.get $nd) (local.get $c))
                  (then
                    (local.set $mi (i64.add (i64.mul (local.get $mi) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
                    (local.set $nd (i32.add (local.get $nd) (i32.const 1))))))
              (else
                (if (i32.lt_u (local.get $n3) (i32.const 4))
                  (then
                    (local.set $q3i (i64.add (i64.mul (local.get $q3i) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
                    (local.set $n3 (i32.add (local.get $n3) (i32.const 1))))
                  (else
                    (if (i32.eqz (local.get $c))
                      (then (local.set $extra (i32.add (local.get $extra) (i32.const 1))))
                      (else (local.set $bad (i32.const 1))))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $dig)))
        ;; '.' (c = -2), the first one only
        (br_if $done (i32.ne (local.get $c) (i32.const -2)))
        (br_if $done (i32.ge_s (local.get $dot) (i32.const 0)))
        (local.set $dot (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $words (i32.const 1))
        (br $dig)))
    (local.set $intEnd (select (local.get $i) (local.get $dot) (i32.lt_s (local.get $dot) (i32.const 0))))
    (local.set $frac (select (i32.const 0) (i32.sub (i32.sub (local.get $i) (local.get $dot)) (i32.const 1)) (i32.lt_s (local.get $dot) (i32.const 0))))
    (if (i32.eqz (i32.add (i32.sub (local.get $intEnd) (local.get $d0)) (local.get $frac)))
      (then (global.set $end (i32.const -1)) (return (f64.const nan))))
    ;; the exponent: 'e' or 'E'
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (if (i32.eq (i32.or (i32.load8_u (local.get $i)) (i32.const 32)) (i32.const 101))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (if (i32.lt_u (local.get $i) (local.get $n))
              (then
                (local.set $c (i32.load8_u (local.get $i)))
                (if (i32.eq (local.get $c) (i32.const 45))
                  (then (local.set $xneg (i32.const 1)) (local.set $i (i32.add (local.get $i) (i32.const 1))))
                  (else (if (i32.eq (local.get $c) (i32.const 43)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))))))
            (local.set $x0 (local.get $i))
            (block $xd
              (loop $xl
                (br_if $xd (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $c (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
                (br_if $xd (i32.gt_u (local.get $c) (i32.const 9)))
                (if (i32.lt_s (local.get $x) (i32.const 100000))
                  (then (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 10)) (local.get $c))))
                  (else (local.set $bad (i32.const 1))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $xl)))
            (if (i32.eq (local.get $i) (local.get $x0))
              (then (global.set $end (i32.const -1)) (return (f64.const nan))))
            (if (local.get $xneg) (then (local.set $x (i32.sub (i32.const 0) (local.get $x)))))))))
    (global.set $end (local.get $i))
    (if (local.get $bad) (then (return (f64.const nan))))
    (local.set $x (i32.add (local.get $x) (i32.sub (local.get $extra) (local.get $frac))))
    (if (i32.eq (local.get $n3) (i32.const 1))
      (then
        (local.set $wi (i64.add (i64.mul (local.get $mi) (i64.const 10)) (local.get $q3i)))
        (if (i64.lt_u (local.get $wi) (i64.const 9007199254740992))
          (then (local.set $mi (local.get $wi)) (local.set $n3 (i32.const 0))))))
    (local.set $m (f64.convert_i64_u (local.get $mi)))
    (local.set $q3 (f64.convert_i64_u (local.get $q3i)))
    (block $known
    (if (i32.eqz (local.get $n3))
      (then
        (if (f64.eq (local.get $m) (f64.const 0))
          (then (local.set $v (f64.const 0)))
          (else
            (if (i32.eqz (local.get $x))
              (then (local.set $v (local.get $m)))
              (else
                (if (i32.and (i32.gt_s (local.get $x) (i32.const 0)) (i32.le_s (local.get $x) (i32.const 22)))
                  (then (local.set $v (f64.mul (local.get $m) (call $pow10 (local.get $x)))))
                  (else
                    (if (i32.and (i32.lt_s (local.get $x) (i32.const 0)) (i32.ge_s (local.get $x) (i32.const -22)))
                      (then (local.set $v (f64.div (local.get $m) (call $pow10 (i32.sub (i32.const 0) (local.get $x))))))
                      (else
                        (local.set $v (call $eisel (local.get $mi) (local.get $x)))
                        (if (f64.ne (local.get $v) (local.get $v))
                          (then (local.set $v (call $scaled (local.get $m) (f64.const 0) (local.get $x))))))))))))))
      (else
        (local.set $v (call $eisel
          (i64.add (i64.mul (local.get $mi) (i64.trunc_f64_u (call $pow10 (local.get $n3)))) (local.get $q3i)) (local.get $x)))
        (if (f64.eq (local.get $v) (local.get $v)) (then (br $known)))
        ;; m·10^n3 + q3 exactly as h + l (Dekker's product, then Knuth's sum)
        (local.set $p (call $pow10 (local.get $n3)))
        (local.set $ph (f64.mul (local.get $m) (local.get $p)))
        (local.set $t (f64.mul (f64.load (i32.const 552)) (local.get $m)))
        (local.set $ah (f64.sub (local.get $t) (f64.sub (local.get $t) (local.get $m))))
        (local.set $pl (f64.add (f64.sub (f64.mul (local.get $ah) (local.get $p)) (local.get $ph)) (f64.mul (f64.sub (local.get $m) (local.get $ah)) (local.get $p))))
        (local.set $sh (f64.add (local.get $ph) (local.get $q3)))
        (local.set $bv (f64.sub (local.get $sh) (local.get $ph)))
        (local.set $l (f64.add (local.get $pl) (f64.add (f64.sub (local.get $ph) (f64.sub (local.get $sh) (local.get $bv))) (f64.sub (local.get $q3) (local.get $bv)))))
        (local.set $h (f64.add (local.get $sh) (local.get $l)))
        (local.set $v (call $scaled (local.get $h) (f64.sub (local.get $l) (f64.sub (local.get $h) (local.get $sh))) (local.get $x))))))
    (if (result f64) (local.get $neg) (then (f64.neg (local.get $v))) (else (local.get $v))))

  ;; The first byte from i that is the delimiter or a line end, or n (fastpath.ts fieldEnd).
  (func $fieldEnd (param $i i32) (param $n i32) (param $vd v128) (param $d i32) (result i32)
    (local $v v128) (local $m i32) (local $c i32)
    (block $found
      (loop $l16
        (br_if $found (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (local.set $v (v128.load (local.get $i)))
        (local.set $m (i8x16.bitmask (v128.or (i8x16.eq (local.get $v) (local.get $vd)) (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10))))))
        (if (local.get $m) (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l16)))
    (block $out
      (loop $l1
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.load8_u (local.get $i)))
        (br_if $out (i32.or (i32.eq (local.get $c) (local.get $d)) (i32.eq (local.get $c) (i32.const 10))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l1)))
    (local.get $i))

  ;; The line end of the row whose last fields start at i when exactly `need` delimiters come before
  ;; it; -2 when another number does (or more than `need` before n); -1 no line end before n
  ;; (fastpath.ts rowEnd).
  (func $rowEnd (param $i i32) (param $n i32) (param $vd v128) (param $d i32) (param $need i32) (result i32)
    (local $seen i32) (local $v v128) (local $md i32) (local $ml i32) (local $k i32) (local $c i32)
    (block $tail
      (loop $l16
        (br_if $tail (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (local.set $v (v128.load (local.get $i)))
        (local.set $md (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $vd))))
        (local.set $ml (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10)))))
        (if (local.get $ml)
          (then
            (local.set $k (i32.ctz (local.get $ml)))
            (local.set $seen (i32.add (local.get $seen)
              (i32.popcnt (i32.and (local.get $md) (i32.sub (i32.shl (i32.const 1) (local.get $k)) (i32.const 1))))))
            (return (select (i32.add (local.get $i) (local.get $k)) (i32.const -2) (i32.eq (local.get $seen) (local.get $need))))))
        (local.set $seen (i32.add (local.get $seen) (i32.popcnt (local.get $md))))
        (if (i32.gt_u (local.get $seen) (local.get $need)) (then (return (i32.const -2))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l16)))
    (block $none
      (loop $l1
        (br_if $none (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.eq (local.get $c) (i32.const 10))
          (then (return (select (local.get $i) (i32.const -2) (i32.eq (local.get $seen) (local.get $need))))))
        (if (i32.eq (local.get $c) (local.get $d))
          (then
            (local.set $seen (i32.add (local.get $seen) (i32.const 1)))
            (if (i32.gt_u (local.get $seen) (local.get $need)) (then (return (i32.const -2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l1)))
    (i32.const -1))

  ;; Reads rows from `pos` (bytes [pos, n), "\n" line ends, or "\r\n" with crlf, delimiter d, `width` fields each) while the
  ;; fast path reads each without a second look, at most maxRows: each row's kept cells go to the
  ;; values at 65536 (row r, kept column j: double j·maxRows + r); `tail` is the field after which the rest
  ;; of the row is only checked for its `need` delimiters (-1: none such); `run`: an empty kept cell
  ;; is NaN (else the row is not read here). Returns where it stopped; count: rows read; stop: 0 at
  ;; the end of the bytes (an unfinished row, or none), 1 at a row it does not read, 2 at maxRows.
  (func (export "rows") (param $pos i32) (param $n i32) (param $width i32) (param $tail i32) (param $need i32)
      (param $run i32) (param $d i32) (param $maxRows i32) (param $crlf i32) (result i32)
    (local $r i32) (local $i i32) (local $f i32) (local $j i32) (local $ch i32) (local $v f64) (local $e i32)
    (local $last i32) (local $vd v128) (local $stop i32) (local $row i32) (local $col i32) (local $start i32)
    (local.set $last (i32.sub (local.get $width) (i32.const 1)))
    (local.set $vd (i8x16.splat (local.get $d)))
    (local.set $stop (i32.const 1))
    (local.set $col (i32.shl (local.get $maxRows) (i32.const 3)))
    (block $exit
      (loop $rows
        (if (i32.ge_u (local.get $r) (local.get $maxRows)) (then (local.set $stop (i32.const 2)) (br $exit)))
        (local.set $i (local.get $pos))
        (local.set $f (i32.const 0))
        (local.set $row (i32.add (i32.const 65536) (i32.shl (local.get $r) (i32.const 3))))
        (loop $fields
          (if (i32.ge_u (local.get $i) (local.get $n)) (then (local.set $stop (i32.const 0)) (br $exit)))
          (local.set $j (i32.load offset=1024 (i32.shl (local.get $f) (i32.const 2))))
          (local.set $start (local.get $i))
          (local.set $ch (i32.load8_u (local.get $i)))
          (if (i32.ge_s (local.get $j) (i32.const 0))
            (then
              (if (i32.and (i32.and (i32.ne (local.get $ch) (local.get $d)) (i32.ne (local.get $ch) (i32.const 10)))
                    (i32.eqz (i32.and (local.get $crlf) (i32.eq (local.get $ch) (i32.const 13)))))
                (then
                  (local.set $v (call $quick (local.get $i) (local.get $n)))
                  (if (i32.eq (global.get $end) (i32.const -2))
                    (then (local.set $v (call $readNumber (local.get $i) (local.get $n)))))
                  (local.set $e (global.get $end))
                  (br_if $exit (i32.lt_s (local.get $e) (i32.const 0)))
                  (br_if $exit (i32.ge_u (local.get $e) (local.get $n)))
                  (local.set $ch (i32.load8_u (local.get $e)))
                  (br_if $exit (i32.and (i32.and (i32.ne (local.get $ch) (local.get $d)) (i32.ne (local.get $ch) (i32.const 10)))
                    (i32.eqz (i32.and (local.get $crlf) (i32.eq (local.get $ch) (i32.const 13))))))
                  (br_if $exit (f64.ne (local.get $v) (local.get $v)))
                  (f64.store (i32.add (local.get $row) (i32.mul (local.get $j) (local.get $col))) (local.get $v))
                  (local.set $i (local.get $e)))
                (else
                  (br_if $exit (i32.eqz (local.get $run)))
                  (f64.store (i32.add (local.get $row) (i32.mul (local.get $j) (local.get $col))) (f64.const nan)))))
            (else (local.set $i (call $fieldEnd (local.get $i) (local.get $n) (local.get $vd) (local.get $d)))))
          (if (i32.ge_u (local.get $i) (local.get $n)) (then (local.set $stop (i32.const 0)) (br $exit)))
          (local.set $ch (i32.load8_u (local.get $i)))
          (if (i32.eq (local.get $ch) (local.get $d))
            (then
              (br_if $exit (i32.eq (local.get $f) (local.get $last)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (if (i32.eq (local.get $f) (local.get $tail))
                (then
                  (local.set $e (call $rowEnd (local.get $i) (local.get $n) (local.get $vd) (local.get $d) (local.get $need)))
                  (if (i32.eq (local.get $e) (i32.const -1)) (then (local.set $stop (i32.const 0)) (br $exit)))
                  (br_if $exit (i32.eq (local.get $e) (i32.const -2)))
                  (local.set $r (i32.add (local.get $r) (i32.const 1)))
                  (local.set $pos (i32.add (local.get $e) (i32.const 1)))
                  (br $rows)))
              (local.set $f (i32.add (local.get $f) (i32.const 1)))
              (br $fields)))
          ;; a line end: the row's last field. "\r\n" files: a number stopped at the \r (then a \n must
          ;; follow), or a field ran to the \n (its last byte must be the \r); a lone \r or \n is part of
          ;; a cell, which the TypeScript loop reads.
          (br_if $exit (i32.ne (local.get $f) (local.get $last)))
          (if (local.get $crlf)
            (then
              (if (i32.eq (local.get $ch) (i32.const 13))
                (then
                  (if (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)) (then (local.set $stop (i32.const 0)) (br $exit)))
                  (br_if $exit (i32.ne (i32.load8_u (i32.add (local.get $i) (i32.const 1))) (i32.const 10)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1))))
                (else
                  (br_if $exit (i32.le_u (local.get $i) (local.get $start)))
                  (br_if $exit (i32.ne (i32.load8_u (i32.sub (local.get $i) (i32.const 1))) (i32.const 13)))))))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (local.set $pos (i32.add (local.get $i) (i32.const 1)))
          (br $rows))))
    (global.set $count (local.get $r))
    (global.set $stop (local.get $stop))
    (local.get $pos))

  ;; ---- JSONL: lines of a known shape (fastpath.ts LineTemplate, matchTemplate) ----
  ;; Templates at 32768 (A) and 49152 (B), 16 KB each (csvWasm.ts setTemplate): +0 the count of
  ;; numbers; +16 where each piece starts in the bytes around them (count + 2, i32); +4112 the kept
  ;; column of each number (-1 none); +8200 the bytes around the numbers.

  ;; The end of the JSON number at a (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?), within 32 bytes for its
  ;; digits and 48 before n; -1 for any other text (the caller then leaves the line to TypeScript).
  (func $skipNumber (param $a i32) (param $n i32) (result i32)
    (local $s i32) (local $dm i32) (local $il i32) (local $fl i32) (local $e i32) (local $c i32) (local $x0 i32)
    (if (i32.gt_u (i32.add (local.get $a) (i32.const 48)) (local.get $n)) (then (return (call $skipNumberBytes (local.get $a) (local.get $n)))))
    (local.set $s (i32.add (local.get $a) (i32.eq (i32.load8_u (local.get $a)) (i32.const 45))))
    (local.set $dm (i32.or
      (i8x16.bitmask (i8x16.lt_u (i8x16.sub (v128.load (local.get $s)) (i8x16.splat (i32.const 48))) (i8x16.splat (i32.const 10))))
      (i32.shl (i8x16.bitmask (i8x16.lt_u (i8x16.sub (v128.load offset=16 (local.get $s)) (i8x16.splat (i32.const 48))) (i8x16.splat (i32.const 10)))) (i32.const 16))))
    (local.set $il (i32.ctz (i32.xor (local.get $dm) (i32.const -1))))
    (if (i32.eqz (local.get $il)) (then (return (i32.const -1))))
    (if (i32.ge_u (local.get $il) (i32.const 31)) (then (return (call $skipNumberBytes (local.get $a) (local.get $n)))))
    (if (i32.and (i32.gt_u (local.get $il) (i32.const 1)) (i32.eq (i32.load8_u (local.get $s)) (i32.const 48))) (then (return (i32.const -1))))
    (local.set $e (i32.add (local.get $s) (local.get $il)))
    (local.set $c (i32.load8_u (local.get $e)))
    (if (i32.eq (local.get $c) (i32.const 46))
      (then
        (local.set $fl (i32.ctz (i32.xor (i32.shr_u (local.get $dm) (i32.add (local.get $il) (i32.const 1))) (i32.const -1))))
        (if (i32.eqz (local.get $fl)) (then (return (i32.const -1))))
        (if (i32.ge_u (i32.add (i32.add (local.get $il) (local.get $fl)) (i32.const 1)) (i32.const 32))
          (then (return (call $skipNumberBytes (local.get $a) (local.get $n)))))
        (local.set $e (i32.add (local.get $e) (i32.add (local.get $fl) (i32.const 1))))
        (local.set $c (i32.load8_u (local.get $e)))))
    (if (i32.eq (i32.or (local.get $c) (i32.const 32)) (i32.const 101))
      (then
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $e)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.eq (local.get $c) (i32.const 43)))
          (then (local.set $e (i32.add (local.get $e) (i32.const 1)))))
        (local.set $x0 (local.get $e))
        (block $xd
          (loop $xl
            (br_if $xd (i32.ge_u (local.get $e) (local.get $n)))
            (br_if $xd (i32.gt_u (i32.sub (i32.load8_u (local.get $e)) (i32.const 48)) (i32.const 9)))
            (local.set $e (i32.add (local.get $e) (i32.const 1)))
            (br $xl)))
        (if (i32.eq (local.get $e) (local.get $x0)) (then (return (i32.const -1))))))
    (local.get $e))

  ;; $skipNumber a byte at a time, for numbers of more digits or near n (fastpath.ts jsonNumberEnd).
  (func $skipNumberBytes (param $i i32) (param $n i32) (result i32)
    (local $c i32) (local $x0 i32)
    (if (i32.and (i32.lt_u (local.get $i) (local.get $n)) (i32.eq (i32.load8_u (local.get $i)) (i32.const 45)))
      (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
    (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (i32.const -1))))
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.eq (local.get $c) (i32.const 48))
      (then (local.set $i (i32.add (local.get $i) (i32.const 1))))
      (else
        (if (i32.gt_u (i32.sub (local.get $c) (i32.const 49)) (i32.const 8)) (then (return (i32.const -1))))
        (local.set $i (call $digitsEnd (i32.add (local.get $i) (i32.const 1)) (local.get $n)))))
    (if (i32.and (i32.lt_u (local.get $i) (local.get $n)) (i32.eq (i32.load8_u (local.get $i)) (i32.const 46)))
      (then
        (local.set $x0 (i32.add (local.get $i) (i32.const 1)))
        (local.set $i (call $digitsEnd (local.get $x0) (local.get $n)))
        (if (i32.eq (local.get $i) (local.get $x0)) (then (return (i32.const -1))))))
    (if (i32.and (i32.lt_u (local.get $i) (local.get $n)) (i32.eq (i32.or (i32.load8_u (local.get $i)) (i32.const 32)) (i32.const 101)))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.lt_u (local.get $i) (local.get $n))
          (then
            (local.set $c (i32.load8_u (local.get $i)))
            (if (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.eq (local.get $c) (i32.const 43)))
              (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))))
        (local.set $x0 (local.get $i))
        (local.set $i (call $digitsEnd (local.get $i) (local.get $n)))
        (if (i32.eq (local.get $i) (local.get $x0)) (then (return (i32.const -1))))))
    (local.get $i))

  ;; The first byte from i, before n, that is not a digit (or n).
  (func $digitsEnd (param $i i32) (param $n i32) (result i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (br_if $done (i32.gt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)) (i32.const 9)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i))

  ;; Whether the bytes at i and at p agree on their first len (at most 16); both readable 16 bytes on.
  (func $sameUpTo16 (param $i i32) (param $p i32) (param $len i32) (result i32)
    (i32.eqz (i32.and
      (i32.xor (i8x16.bitmask (i8x16.eq (v128.load (local.get $i)) (v128.load (local.get $p)))) (i32.const 0xffff))
      (i32.sub (i32.shl (i32.const 1) (local.get $len)) (i32.const 1)))))

  ;; The line at pos read with template T (as matchTemplate reads it, then its line end "\n" or
  ;; "\r\n"): its kept numbers stored as row r (column j at 65536 + 8·(j·maxRows + r)); returns the
  ;; start of the next line, or -1 when the line is not of this shape (or a number is left to TypeScript).
  (func $matchLine (param $pos i32) (param $n i32) (param $T i32) (param $r i32) (param $maxRows i32) (result i32)
    (local $i i32) (local $t i32) (local $count i32) (local $p0 i32) (local $len i32) (local $k i32) (local $col i32) (local $v f64) (local $c i32)
    (local.set $i (local.get $pos))
    (local.set $count (i32.load (local.get $T)))
    (loop $pieces
      (local.set $p0 (i32.load offset=16 (i32.add (local.get $T) (i32.shl (local.get $t) (i32.const 2)))))
      (local.set $len (i32.sub (i32.load offset=20 (i32.add (local.get $T) (i32.shl (local.get $t) (i32.const 2)))) (local.get $p0)))
      (if (i32.gt_u (i32.add (local.get $i) (local.get $len)) (local.get $n)) (then (return (i32.const -1))))
      (local.set $p0 (i32.add (i32.add (local.get $T) (i32.const 8200)) (local.get $p0)))
      (local.set $k (i32.const 0))
      (block $same
        (loop $sixteen
          (br_if $same (i32.gt_u (i32.add (local.get $k) (i32.const 16)) (local.get $len)))
          (if (i32.eqz (i8x16.all_true (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $k))) (v128.load (i32.add (local.get $p0) (local.get $k))))))
            (then (return (i32.const -1))))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br $sixteen)))
      (if (i32.lt_u (local.get $k) (local.get $len))
        (then
          (if (i32.eqz (call $sameUpTo16 (i32.add (local.get $i) (local.get $k)) (i32.add (local.get $p0) (local.get $k)) (i32.sub (local.get $len) (local.get $k))))
            (then (return (i32.const -1))))))
      (local.set $i (i32.add (local.get $i) (local.get $len)))
      (if (i32.lt_u (local.get $t) (local.get $count))
        (then
          (local.set $col (i32.load offset=4112 (i32.add (local.get $T) (i32.shl (local.get $t) (i32.const 2)))))
          (if (i32.ge_s (local.get $col) (i32.const 0))
            (then
              (local.set $v (call $quick (local.get $i) (local.get $n)))
              (if (i32.lt_s (global.get $end) (i32.const 0)) (then (return (i32.const -1))))
              (f64.store offset=65536 (i32.shl (i32.add (i32.mul (local.get $col) (local.get $maxRows)) (local.get $r)) (i32.const 3)) (local.get $v))
              (local.set $i (global.get $end)))
            (else
              (local.set $i (call $skipNumber (local.get $i) (local.get $n)))
              (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $pieces))))
    (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (i32.const -1))))
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.eq (local.get $c) (i32.const 10)) (then (return (i32.add (local.get $i) (i32.const 1)))))
    (if (i32.and (i32.eq (local.get $c) (i32.const 13)) (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
      (then (if (i32.eq (i32.load8_u offset=1 (local.get $i)) (i32.const 10)) (then (return (i32.add (local.get $i) (i32.const 2)))))))
    (i32.const -1))

  ;; Reads the lines from pos (bytes [pos, n), complete lines) while each is of template A's shape or
  ;; (with `two`) B's, and at most maxLine bytes long, at most maxRows of them: row r's nK kept values
  ;; go to 65536 (column j: 8·(j·maxRows + r)), NaN where its shape has no such key. Returns where it
  ;; stopped; count: lines read; stop: 0 at n, 1 at a line it does not read, 2 at maxRows.
  (func (export "lines") (param $pos i32) (param $n i32) (param $nK i32) (param $maxRows i32) (param $maxLine i32) (param $two i32) (result i32)
    (local $r i32) (local $next i32) (local $stop i32)
    (local.set $stop (i32.const 1))
    (block $exit
      (loop $rows
        (if (i32.ge_u (local.get $r) (local.get $maxRows)) (then (local.set $stop (i32.const 2)) (br $exit)))
        (if (i32.ge_u (local.get $pos) (local.get $n)) (then (local.set $stop (i32.const 0)) (br $exit)))
        (call $nanRow (local.get $r) (local.get $nK) (local.get $maxRows))
        (local.set $next (call $matchLine (local.get $pos) (local.get $n) (i32.const 32768) (local.get $r) (local.get $maxRows)))
        (if (i32.and (i32.lt_s (local.get $next) (i32.const 0)) (local.get $two))
          (then
            (call $nanRow (local.get $r) (local.get $nK) (local.get $maxRows))
            (local.set $next (call $matchLine (local.get $pos) (local.get $n) (i32.const 49152) (local.get $r) (local.get $maxRows)))))
        (br_if $exit (i32.lt_s (local.get $next) (i32.const 0)))
        ;; (the line's length before its "\n", as the TypeScript loop measures it against maxLine)
        (br_if $exit (i32.gt_u (i32.sub (i32.sub (local.get $next) (i32.const 1)) (local.get $pos)) (local.get $maxLine)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (local.set $pos (local.get $next))
        (br $rows)))
    (global.set $count (local.get $r))
    (global.set $stop (local.get $stop))
    (local.get $pos))

  (func $nanRow (param $r i32) (param $nK i32) (param $maxRows i32)
    (local $q i32)
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $q) (local.get $nK)))
        (f64.store offset=65536 (i32.shl (i32.add (i32.mul (local.get $q) (local.get $maxRows)) (local.get $r)) (i32.const 3)) (f64.const nan))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $cols))))
)
