;; The two arrival loops of a cartpole step in WebAssembly (scalar), for bench/wasm_arrivals.ts:
;; group delivery and the quadruplet rule's update of an arriving synapse, on a presynaptic-major kernel.
(module
  (memory (export "mem") 256)
  ;; drive[o] += kt[row + o] for every synapse of the active groups (row = (g / L) * nPost)
  (func (export "deliver") (param $na i32) (param $L i32) (param $nPost i32) (param $act i32) (param $gs i32) (param $gp i32) (param $kt i32) (param $drive i32)
    (local $c i32) (local $g i32) (local $s i32) (local $e i32) (local $row i32) (local $o i32) (local $dp i32)
    (block $done (loop $lc
      (br_if $done (i32.ge_u (local.get $c) (local.get $na)))
      (local.set $g (i32.load (i32.add (local.get $act) (i32.shl (local.get $c) (i32.const 2)))))
      (local.set $row (i32.mul (i32.div_u (local.get $g) (local.get $L)) (local.get $nPost)))
      (local.set $s (i32.load (i32.add (local.get $gs) (i32.shl (local.get $g) (i32.const 2)))))
      (local.set $e (i32.load (i32.add (local.get $gs) (i32.shl (i32.add (local.get $g) (i32.const 1)) (i32.const 2)))))
      (block $bd (loop $ls
        (br_if $bd (i32.ge_u (local.get $s) (local.get $e)))
        (local.set $o (i32.load (i32.add (local.get $gp) (i32.shl (local.get $s) (i32.const 2)))))
        (local.set $dp (i32.add (local.get $drive) (i32.shl (local.get $o) (i32.const 3))))
        (f64.store (local.get $dp) (f64.add (f64.load (local.get $dp))
          (f64.promote_f32 (f32.load (i32.add (local.get $kt) (i32.shl (i32.add (local.get $row) (local.get $o)) (i32.const 2)))))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $ls)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $lc))))
  ;; K[row + o] = min(max(K + uInc[2o], 0), uHi[2o]) (no post spike: sPost[o] = 0 here)
  (func (export "update") (param $na i32) (param $L i32) (param $nPost i32) (param $act i32) (param $gs i32) (param $gp i32) (param $kt i32) (param $uinc i32) (param $uhi i32) (param $spost i32)
    (local $c i32) (local $g i32) (local $s i32) (local $e i32) (local $row i32) (local $o i32) (local $kp i32) (local $j i32)
    (block $done (loop $lc
      (br_if $done (i32.ge_u (local.get $c) (local.get $na)))
      (local.set $g (i32.load (i32.add (local.get $act) (i32.shl (local.get $c) (i32.const 2)))))
      (local.set $row (i32.mul (i32.div_u (local.get $g) (local.get $L)) (local.get $nPost)))
      (local.set $s (i32.load (i32.add (local.get $gs) (i32.shl (local.get $g) (i32.const 2)))))
      (local.set $e (i32.load (i32.add (local.get $gs) (i32.shl (i32.add (local.get $g) (i32.const 1)) (i32.const 2)))))
      (block $bd (loop $ls
        (br_if $bd (i32.ge_u (local.get $s) (local.get $e)))
        (local.set $o (i32.load (i32.add (local.get $gp) (i32.shl (local.get $s) (i32.const 2)))))
        (if (i32.eqz (i32.load8_u (i32.add (local.get $spost) (local.get $o))))
          (then
            (local.set $kp (i32.add (local.get $kt) (i32.shl (i32.add (local.get $row) (local.get $o)) (i32.const 2))))
            (local.set $j (i32.shl (local.get $o) (i32.const 4)))
            (f32.store (local.get $kp) (f32.demote_f64 (f64.min (f64.max
              (f64.add (f64.promote_f32 (f32.load (local.get $kp))) (f64.load (i32.add (local.get $uinc) (local.get $j))))
              (f64.const 0)) (f64.load (i32.add (local.get $uhi) (local.get $j))))))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $ls)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $lc)))))
