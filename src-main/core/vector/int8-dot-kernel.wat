;; The inner loop of the quantized exact scan (quantized-vectors.ts) in WebAssembly: rows of int8 against a query of
;; int16, eight products and their pairwise sums per instruction (i32x4.dot_i16x8_s), reading a quarter of the bytes
;; the float32 kernel (dot-kernel.wat) reads, which is what bounds a scan of more vectors than the caches hold.
;;
;; Memory holds `rows` vectors of `stride` int8 each (stride a multiple of 32, rows zero-padded past the vector's
;; dimension), the query at `query` as `stride` int16, one float32 scale per row at `scales`, and room for `rows`
;; float32 scores at `out`. `scores` writes scale[row] times the integer inner product of the row with the query.
;; The caller bounds the query's integers so that no sum of `stride` products leaves the int32 range.
(module
  (import "env" "memory" (memory 1))

  (func (export "scores")
    (param $matrix i32) (param $rows i32) (param $stride i32) (param $query i32) (param $scales i32) (param $out i32)
    (local $p i32) (local $q i32) (local $rowEnd i32) (local $outEnd i32) (local $v v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $p (local.get $matrix))
    (local.set $outEnd (i32.add (local.get $out) (i32.shl (local.get $rows) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $out) (local.get $outEnd)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $q (local.get $query))
        (local.set $rowEnd (i32.add (local.get $p) (local.get $stride)))
        (loop $column
          ;; 32 int8 of the row, widened to int16 in four halves, each against eight int16 of the query.
          (local.set $v (v128.load (local.get $p)))
          (local.set $a0 (i32x4.add (local.get $a0)
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (v128.load (local.get $q)))))
          (local.set $a1 (i32x4.add (local.get $a1)
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (v128.load offset=16 (local.get $q)))))
          (local.set $v (v128.load offset=16 (local.get $p)))
          (local.set $a2 (i32x4.add (local.get $a2)
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (v128.load offset=32 (local.get $q)))))
          (local.set $a3 (i32x4.add (local.get $a3)
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (v128.load offset=48 (local.get $q)))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $q (i32.add (local.get $q) (i32.const 64)))
          (br_if $column (i32.lt_u (local.get $p) (local.get $rowEnd))))
        (local.set $a0 (i32x4.add (i32x4.add (local.get $a0) (local.get $a1)) (i32x4.add (local.get $a2) (local.get $a3))))
        (f32.store (local.get $out)
          (f32.mul
            (f32.load (local.get $scales))
            (f32.convert_i32_s
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $a0)) (i32x4.extract_lane 1 (local.get $a0)))
                (i32.add (i32x4.extract_lane 2 (local.get $a0)) (i32x4.extract_lane 3 (local.get $a0)))))))
        (local.set $scales (i32.add (local.get $scales) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $row))))
)
