;; The inner loop of hammingJoin (../hamming-join.ts) in WebAssembly, for its native 64-bit popcount: one
;; instruction where JavaScript needs a dozen bit tricks on two 32-bit halves.
;;
;; Memory holds, for one chunk of the hash, both sides sorted by that chunk (CSR buckets):
;;   aOffsets/bOffsets  u32 per bucket value + 1   entries of bucket v are [offsets[v], offsets[v+1])
;;   aValues            u32 per non-empty left bucket, ascending
;;   aHashes/bHashes    u64 per hash, in bucket order
;;   masks              u32 chunk XOR masks of weight <= the chunk's radius
;; For every mask, then every left value v, the left bucket v is paired with the right bucket v ^ mask and
;; every pair within `threshold` is written to `out` as three u32: left position, right position, distance.
;;
;; `join` stops before a left row whose hits might not fit into the remaining room of `out` (which must hold
;; at least one right bucket) and returns how many it wrote; calling it again resumes where it stopped.
;; `finished` says whether the walk is complete; `reset` starts a new one.
(module
  (import "env" "memory" (memory 1))
  (global $mask (mut i32) (i32.const 0))
  (global $value (mut i32) (i32.const 0))
  (global $row (mut i32) (i32.const -1))
  (global $finished (mut i32) (i32.const 0))

  (func (export "reset")
    (global.set $mask (i32.const 0))
    (global.set $value (i32.const 0))
    (global.set $row (i32.const -1))
    (global.set $finished (i32.const 0)))

  (func (export "finished") (result i32)
    (global.get $finished))

  (func (export "join")
    (param $aOffsets i32) (param $aValues i32) (param $aValueCount i32) (param $aHashes i32)
    (param $bOffsets i32) (param $bHashes i32)
    (param $masks i32) (param $maskCount i32)
    (param $self i32) (param $threshold i32)
    (param $out i32) (param $capacity i32)
    (result i32)
    (local $hits i32) (local $v i32) (local $w i32)
    (local $bStart i32) (local $bEnd i32) (local $aEnd i32)
    (local $i i32) (local $j i32) (local $hash i64) (local $d i32) (local $p i32)
    (local.set $i (global.get $row))
    (block $walkDone
      (loop $masksLoop
        (br_if $walkDone (i32.ge_u (global.get $mask) (local.get $maskCount)))
        (block $masksNext
          (loop $valuesLoop
            (br_if $masksNext (i32.ge_u (global.get $value) (local.get $aValueCount)))
            (local.set $v (i32.load (i32.add (local.get $aValues) (i32.shl (global.get $value) (i32.const 2)))))
            (local.set $w (i32.xor (local.get $v)
              (i32.load (i32.add (local.get $masks) (i32.shl (global.get $mask) (i32.const 2))))))
            (block $valuesNext
              ;; A self-join pairs bucket v with w once, from the smaller of the two.
              (br_if $valuesNext (i32.and (local.get $self) (i32.lt_u (local.get $w) (local.get $v))))
              (local.set $bStart (i32.load (i32.add (local.get $bOffsets) (i32.shl (local.get $w) (i32.const 2)))))
              (local.set $bEnd (i32.load offset=4 (i32.add (local.get $bOffsets) (i32.shl (local.get $w) (i32.const 2)))))
              (br_if $valuesNext (i32.eq (local.get $bStart) (local.get $bEnd)))
              (local.set $aEnd (i32.load offset=4 (i32.add (local.get $aOffsets) (i32.shl (local.get $v) (i32.const 2)))))
              (if (i32.lt_s (local.get $i) (i32.const 0))
                (then (local.set $i (i32.load (i32.add (local.get $aOffsets) (i32.shl (local.get $v) (i32.const 2)))))))
              (block $rowsDone
                (loop $rowsLoop
                  (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $aEnd)))
                  ;; Not enough room for a whole row of hits: stop here, resume at this row.
                  (if (i32.lt_u (i32.sub (local.get $capacity) (local.get $hits)) (i32.sub (local.get $bEnd) (local.get $bStart)))
                    (then
                      (global.set $row (local.get $i))
                      (return (local.get $hits))))
                  (local.set $hash (i64.load (i32.add (local.get $aHashes) (i32.shl (local.get $i) (i32.const 3)))))
                  ;; Within one bucket of a self-join, each row pairs only with the rows after it.
                  (local.set $j (select
                    (i32.add (local.get $i) (i32.const 1))
                    (local.get $bStart)
                    (i32.and (local.get $self) (i32.eq (local.get $w) (local.get $v)))))
                  (block $colsDone
                    (loop $colsLoop
                      (br_if $colsDone (i32.ge_u (local.get $j) (local.get $bEnd)))
                      (local.set $d (i32.wrap_i64 (i64.popcnt (i64.xor (local.get $hash)
                        (i64.load (i32.add (local.get $bHashes) (i32.shl (local.get $j) (i32.const 3))))))))
                      (if (i32.le_u (local.get $d) (local.get $threshold))
                        (then
                          (local.set $p (i32.add (local.get $out) (i32.mul (local.get $hits) (i32.const 12))))
                          (i32.store (local.get $p) (local.get $i))
                          (i32.store offset=4 (local.get $p) (local.get $j))
                          (i32.store offset=8 (local.get $p) (local.get $d))
                          (local.set $hits (i32.add (local.get $hits) (i32.const 1)))))
                      (local.set $j (i32.add (local.get $j) (i32.const 1)))
                      (br $colsLoop)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $rowsLoop)))
              (local.set $i (i32.const -1)))
            (global.set $value (i32.add (global.get $value) (i32.const 1)))
            (br $valuesLoop)))
        (global.set $value (i32.const 0))
        (global.set $mask (i32.add (global.get $mask) (i32.const 1)))
        (br $masksLoop)))
    (global.set $row (i32.const -1))
    (global.set $finished (i32.const 1))
    (local.get $hits)))
