/*
 * rollup_crypto: circomlib-compatible Poseidon, BabyJubJub and EdDSA-Poseidon
 * verification over the BN254 scalar field, as a Node-API addon.
 *
 * Field elements are 4x64-bit little-endian limbs in Montgomery form
 * (R = 2^256), always kept fully reduced in [0, r). Only Node-API is used so
 * one build loads in every Node release that supports NAPI_VERSION 8.
 */
/* POSIX threads and clocks under -std=c11. */
#define _POSIX_C_SOURCE 200809L
#define NAPI_VERSION 8
#include <node_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef unsigned __int128 u128;
/* Poseidon state width limit (8 inputs); also bounds fe_dot's n. */
#define POSEIDON_MAX_T 9
typedef struct { uint64_t v[4]; } fe;

/* r = 21888242871839275222246405745257275088548364400416034343698204186575808495617 */
static const uint64_t P[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL,
                              0xb85045b68181585dULL, 0x30644e72e131a029ULL};
/* -r^-1 mod 2^64 */
static const uint64_t PINV = 0xc2e1f593efffffffULL;
/* 2^256 mod r (Montgomery one) and 2^512 mod r (to enter Montgomery form) */
static const fe FE_ONE = {{0xac96341c4ffffffbULL, 0x36fc76959f60cd29ULL,
                           0x666ea36f7879462eULL, 0x0e0a77c19a07df2fULL}};
static const fe FE_R2 = {{0x1bb8e645ae216da7ULL, 0x53fe3ab1e35c59e3ULL,
                          0x8c49833d53bb8085ULL, 0x0216d0b17f4e44a5ULL}};
/* Exponents: r - 2 (inversion) and (q - 1) / 2 where r - 1 = 2^28 * q. */
static const uint64_t EXP_PM2[4] = {0x43e1f593efffffffULL, 0x2833e84879b97091ULL,
                                    0xb85045b68181585dULL, 0x30644e72e131a029ULL};
static const uint64_t EXP_Q12[4] = {0xcdcb848a1f0fac9fULL, 0x0c0ac2e9419f4243ULL,
                                    0x098d014dc2822db4ULL, 0x0000000183227397ULL};
#define TWO_ADICITY 28
/* (r - 1) / 2: packed points carry the sign bit when x > (r - 1) / 2. */
static const uint64_t HALF[4] = {0xa1f0fac9f8000000ULL, 0x9419f4243cdcb848ULL,
                                 0xdc2822db40c0ac2eULL, 0x183227397098d014ULL};
/* BabyJubJub prime subgroup order l = order / 8. */
static const uint64_t SUB_ORDER[4] = {0x677297dc392126f1ULL, 0xab3eedb83920ee0aULL,
                                      0x370a08b6d0302b0bULL, 0x060c89ce5c263405ULL};
/* Base8 affine coordinates (canonical form). */
static const uint64_t BASE8_X[4] = {0x2893f3f6bb957051ULL, 0x2ab8d8010534e0b6ULL,
                                    0x4eacb2e09d6277c1ULL, 0x0bb77a6ad63e739bULL};
static const uint64_t BASE8_Y[4] = {0x4b3c257a872d7d8bULL, 0xfce0051fb9e13377ULL,
                                    0x25572e1cd16bf9edULL, 0x25797203f7a0b249ULL};

/* ------------------------------------------------------------------------ */
/* Multi-precision helpers on raw limbs                                      */

static inline int limbs_geq(const uint64_t a[4], const uint64_t b[4]) {
  for (int i = 3; i >= 0; i--) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return 1;
}

static inline int limbs_is_zero(const uint64_t a[4]) {
  return (a[0] | a[1] | a[2] | a[3]) == 0;
}

/* r = a - b, returns the borrow. */
static inline uint64_t limbs_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
  uint64_t borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 d = (u128)a[i] - b[i] - borrow;
    r[i] = (uint64_t)d;
    borrow = (uint64_t)(d >> 64) & 1;
  }
  return borrow;
}

/* ------------------------------------------------------------------------ */
/* Field arithmetic mod r (Montgomery form)                                  */

static inline int fe_is_zero(const fe *a) { return limbs_is_zero(a->v); }

static inline int fe_eq(const fe *a, const fe *b) {
  return ((a->v[0] ^ b->v[0]) | (a->v[1] ^ b->v[1]) | (a->v[2] ^ b->v[2]) |
          (a->v[3] ^ b->v[3])) == 0;
}

/* Subtract r once if t >= r (inputs are < 2r). */
static inline void fe_reduce_once(uint64_t t[4]) {
  uint64_t s[4];
  if (!limbs_sub(s, t, P)) memcpy(t, s, sizeof s);
}

static inline void fe_add(fe *r, const fe *a, const fe *b) {
  /* r < 2^254, so the sum fits in 256 bits without a carry-out. */
  uint64_t carry = 0;
  for (int i = 0; i < 4; i++) {
    u128 s = (u128)a->v[i] + b->v[i] + carry;
    r->v[i] = (uint64_t)s;
    carry = (uint64_t)(s >> 64);
  }
  fe_reduce_once(r->v);
}

static inline void fe_sub(fe *r, const fe *a, const fe *b) {
  if (limbs_sub(r->v, a->v, b->v)) {
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
      u128 s = (u128)r->v[i] + P[i] + carry;
      r->v[i] = (uint64_t)s;
      carry = (uint64_t)(s >> 64);
    }
  }
}

static inline void fe_neg(fe *r, const fe *a) {
  if (fe_is_zero(a)) {
    *r = *a;
  } else {
    limbs_sub(r->v, P, a->v);
  }
}

/*
 * Montgomery multiplication, CIOS without the extra carry word: valid because
 * the top limb of r is below 2^63 - 1 (the "no-carry" condition).
 */
static inline void fe_mul_portable(fe *r, const fe *a, const fe *b) {
  uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  for (int i = 0; i < 4; i++) {
    const uint64_t bi = b->v[i];
    u128 A = (u128)a->v[0] * bi + t0;
    uint64_t lo = (uint64_t)A;
    uint64_t m = lo * PINV;
    u128 C = (u128)m * P[0] + lo;
    A = (u128)a->v[1] * bi + t1 + (uint64_t)(A >> 64);
    C = (u128)m * P[1] + (uint64_t)A + (uint64_t)(C >> 64);
    t0 = (uint64_t)C;
    A = (u128)a->v[2] * bi + t2 + (uint64_t)(A >> 64);
    C = (u128)m * P[2] + (uint64_t)A + (uint64_t)(C >> 64);
    t1 = (uint64_t)C;
    A = (u128)a->v[3] * bi + t3 + (uint64_t)(A >> 64);
    C = (u128)m * P[3] + (uint64_t)A + (uint64_t)(C >> 64);
    t2 = (uint64_t)C;
    t3 = (uint64_t)(C >> 64) + (uint64_t)(A >> 64);
  }
  r->v[0] = t0; r->v[1] = t1; r->v[2] = t2; r->v[3] = t3;
  fe_reduce_once(r->v);
}

/*
 * Lazily reduced sum of products: Poseidon's linear layers compute up to 9
 * products per output, so accumulating full 512-bit products and doing a
 * single Montgomery reduction at the end roughly halves their cost.
 * With a[j], b[j] < r and n <= 9: sum < 9 r^2 < 2^511 fits in 8 limbs, and
 * sum / 2^256 + r < 2.8 r needs at most two final subtractions.
 */
typedef struct { uint64_t w[8]; } acc512;

static inline void acc_muladd(acc512 *acc, const fe *a, const fe *b) {
  uint64_t prod[8] = {0};
  for (int i = 0; i < 4; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < 4; j++) {
      u128 t = (u128)a->v[i] * b->v[j] + prod[i + j] + carry;
      prod[i + j] = (uint64_t)t;
      carry = (uint64_t)(t >> 64);
    }
    prod[i + 4] = carry;
  }
  uint64_t carry = 0;
  for (int i = 0; i < 8; i++) {
    u128 s = (u128)acc->w[i] + prod[i] + carry;
    acc->w[i] = (uint64_t)s;
    carry = (uint64_t)(s >> 64);
  }
}

/* Montgomery reduction of the accumulator: returns acc / 2^256 mod r. */
static inline void acc_reduce(fe *r, acc512 *acc) {
  uint64_t *w = acc->w;
  for (int i = 0; i < 4; i++) {
    uint64_t m = w[i] * PINV;
    uint64_t carry = 0;
    for (int j = 0; j < 4; j++) {
      u128 t = (u128)m * P[j] + w[i + j] + carry;
      w[i + j] = (uint64_t)t;
      carry = (uint64_t)(t >> 64);
    }
    for (int k = i + 4; k < 8 && carry; k++) {
      u128 s = (u128)w[k] + carry;
      w[k] = (uint64_t)s;
      carry = (uint64_t)(s >> 64);
    }
  }
  memcpy(r->v, w + 4, 4 * sizeof(uint64_t));
  fe_reduce_once(r->v);
  fe_reduce_once(r->v);
}

/* r = sum_{j < n} a[j] * b[j] / 2^256 mod r, for 1 <= n <= 9. */
static inline void fe_dot_portable(fe *r, const fe *a, const fe *b, int n) {
  acc512 acc = {{0}};
  for (int j = 0; j < n; j++) acc_muladd(&acc, &a[j], &b[j]);
  acc_reduce(r, &acc);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_ADX_ASM 1
/* Set in init when the CPU has BMI2 (mulx) and ADX (adcx/adox) and the
 * portable path is not forced (ROLLUP_CRYPTO_PORTABLE=1). Atomic (relaxed)
 * because init may run on one JS thread while another thread hashes; both
 * arithmetics give identical results, so switching mid-hash is harmless. */
static _Atomic int use_adx = 0;
#define USE_ADX() atomic_load_explicit(&use_adx, memory_order_relaxed)

/*
 * The x86-64 paths below use mulx with two independent carry chains (adcx on
 * CF, adox on OF). Accumulators live in r8..r13 and the Montgomery word
 * rotation is done by renaming registers between steps instead of moving
 * them; constants are RIP-relative memory operands, and the inputs are
 * declared as "m" operands so the compiler knows what memory is read
 * without a blanket "memory" clobber. The node-gyp build keeps rbp as frame
 * pointer, so the asm avoids rax (zeros come from "movl $0", which keeps the
 * flags) to leave the compiler enough registers for its pointer operands.
 */
#define ASM_P_OPERANDS \
  [p0] "m"(P[0]), [p1] "m"(P[1]), [p2] "m"(P[2]), [p3] "m"(P[3]), [pinv] "m"(PINV)

/* Montgomery reduction step: adds m * r (m = T0 * -r^-1) to T0..T4 so that
 * T0 becomes 0 (the caller then drops it by renaming). Ends with OF = 0, CF
 * pending into the word above T4, and r14 = 0. */
#define REDC_STEP(t0, t1, t2, t3, t4) \
  "movq %%" t0 ", %%rdx\n\t" \
  "imulq %[pinv], %%rdx\n\t" \
  "xorl %%r14d, %%r14d\n\t" \
  "mulxq %[p0], %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t0 "\n\t" \
  "adcxq %%r15, %%" t1 "\n\t" \
  "mulxq %[p1], %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t1 "\n\t" \
  "adcxq %%r15, %%" t2 "\n\t" \
  "mulxq %[p2], %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t2 "\n\t" \
  "adcxq %%r15, %%" t3 "\n\t" \
  "mulxq %[p3], %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t3 "\n\t" \
  "adcxq %%r15, %%" t4 "\n\t" \
  "movl $0, %%r14d\n\t" \
  "adoxq %%r14, %%" t4 "\n\t"

/* Subtracts r from t0..t3 when t0..t3 >= r, using four scratch registers. */
#define COND_SUB_P(t0, t1, t2, t3, s0, s1, s2, s3) \
  "movq %%" t0 ", %%" s0 "\n\t" \
  "subq %[p0], %%" s0 "\n\t" \
  "movq %%" t1 ", %%" s1 "\n\t" \
  "sbbq %[p1], %%" s1 "\n\t" \
  "movq %%" t2 ", %%" s2 "\n\t" \
  "sbbq %[p2], %%" s2 "\n\t" \
  "movq %%" t3 ", %%" s3 "\n\t" \
  "sbbq %[p3], %%" s3 "\n\t" \
  "cmovncq %%" s0 ", %%" t0 "\n\t" \
  "cmovncq %%" s1 ", %%" t1 "\n\t" \
  "cmovncq %%" s2 ", %%" t2 "\n\t" \
  "cmovncq %%" s3 ", %%" t3 "\n\t"

#define STORE_FE(t0, t1, t2, t3) \
  "movq %%" t0 ", 0(%[r])\n\t" \
  "movq %%" t1 ", 8(%[r])\n\t" \
  "movq %%" t2 ", 16(%[r])\n\t" \
  "movq %%" t3 ", 24(%[r])\n\t"

/*
 * Montgomery multiplication (CIOS without the extra carry word, valid since
 * the top limb of r is below 2^63 - 1): T = (T + a * b[i]) then one REDC
 * step, for each limb b[i]. r may alias a or b.
 */
static inline void fe_mul_adx(fe *r, const fe *a, const fe *b) {
/* T0..T4 += a * rdx, where T4 is a fresh register (no extra carry word). */
#define MUL_ROW(t0, t1, t2, t3, t4) \
  "xorl %%r14d, %%r14d\n\t" \
  "mulxq 0(%[a]), %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t0 "\n\t" \
  "adcxq %%r15, %%" t1 "\n\t" \
  "mulxq 8(%[a]), %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t1 "\n\t" \
  "adcxq %%r15, %%" t2 "\n\t" \
  "mulxq 16(%[a]), %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t2 "\n\t" \
  "adcxq %%r15, %%" t3 "\n\t" \
  "mulxq 24(%[a]), %%r14, %%" t4 "\n\t" \
  "adoxq %%r14, %%" t3 "\n\t" \
  "movl $0, %%r15d\n\t" \
  "adcxq %%r15, %%" t4 "\n\t" \
  "adoxq %%r15, %%" t4 "\n\t"
  __asm__(
      /* Row 0 needs no accumulation. */
      "movq 0(%[b]), %%rdx\n\t"
      "mulxq 0(%[a]), %%r8, %%r9\n\t"
      "mulxq 8(%[a]), %%r14, %%r10\n\t"
      "addq %%r14, %%r9\n\t"
      "mulxq 16(%[a]), %%r14, %%r11\n\t"
      "adcq %%r14, %%r10\n\t"
      "mulxq 24(%[a]), %%r14, %%r12\n\t"
      "adcq %%r14, %%r11\n\t"
      "adcq $0, %%r12\n\t"
      REDC_STEP("r8", "r9", "r10", "r11", "r12")
      "movq 8(%[b]), %%rdx\n\t"
      MUL_ROW("r9", "r10", "r11", "r12", "r8")
      REDC_STEP("r9", "r10", "r11", "r12", "r8")
      "movq 16(%[b]), %%rdx\n\t"
      MUL_ROW("r10", "r11", "r12", "r8", "r9")
      REDC_STEP("r10", "r11", "r12", "r8", "r9")
      "movq 24(%[b]), %%rdx\n\t"
      MUL_ROW("r11", "r12", "r8", "r9", "r10")
      REDC_STEP("r11", "r12", "r8", "r9", "r10")
      COND_SUB_P("r12", "r8", "r9", "r10", "r11", "rdx", "r14", "r15")
      STORE_FE("r12", "r8", "r9", "r10")
      : "=m"(*r)
      : [r] "r"(r->v), [a] "r"(a->v), [b] "r"(b->v), "m"(*a), "m"(*b), ASM_P_OPERANDS
      : "rdx", "r8", "r9", "r10", "r11", "r12", "r14", "r15", "cc");
#undef MUL_ROW
}

/*
 * Sum of n products with one Montgomery reduction per output, in CIOS order:
 * for each limb i, T += sum_j a[j] * b[j][i], then one REDC step. T needs six
 * words (it stays below (n + 1) r * 2^64 < 2^322); the word zeroed by a REDC
 * step becomes the next step's top word. The final T is the same as
 * fe_dot_portable's (sum + m r) / 2^256 < 2.8 r, so two subtractions follow.
 * The row loop indexes a and b from their ends with j = -32n .. -32, so its
 * "addq $32" leaves CF = OF = 0 until the last row, as the next row needs.
 */
static inline void fe_dot_adx(fe *r, const fe *a, const fe *b, int n) {
/* T0..T5 += a[j] * b[j][limb] for every row j, then a REDC step. */
#define DOT_LIMB(off, t0, t1, t2, t3, t4, t5) \
  "movq %[neg_len], %[j]\n\t" \
  "xorl %%edx, %%edx\n\t" \
  "1:\n\t" \
  "movq " off "(%[b_end],%[j]), %%rdx\n\t" \
  "mulxq 0(%[a_end],%[j]), %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t0 "\n\t" \
  "adcxq %%r15, %%" t1 "\n\t" \
  "mulxq 8(%[a_end],%[j]), %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t1 "\n\t" \
  "adcxq %%r15, %%" t2 "\n\t" \
  "mulxq 16(%[a_end],%[j]), %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t2 "\n\t" \
  "adcxq %%r15, %%" t3 "\n\t" \
  "mulxq 24(%[a_end],%[j]), %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t3 "\n\t" \
  "adcxq %%r15, %%" t4 "\n\t" \
  "movl $0, %%r14d\n\t" \
  "adoxq %%r14, %%" t4 "\n\t" \
  "adcxq %%r14, %%" t5 "\n\t" \
  "adoxq %%r14, %%" t5 "\n\t" \
  "addq $32, %[j]\n\t" \
  "jnz 1b\n\t" \
  REDC_STEP(t0, t1, t2, t3, t4) \
  "adcxq %%r14, %%" t5 "\n\t" \
  "adoxq %%r14, %%" t5 "\n\t"
  uint64_t j;
  /* volatile: the only declared output (j) is unused; the result goes to *r. */
  __asm__ volatile(
      "xorl %%r8d, %%r8d\n\t"
      "xorl %%r9d, %%r9d\n\t"
      "xorl %%r10d, %%r10d\n\t"
      "xorl %%r11d, %%r11d\n\t"
      "xorl %%r12d, %%r12d\n\t"
      "xorl %%r13d, %%r13d\n\t"
      DOT_LIMB("0", "r8", "r9", "r10", "r11", "r12", "r13")
      DOT_LIMB("8", "r9", "r10", "r11", "r12", "r13", "r8")
      DOT_LIMB("16", "r10", "r11", "r12", "r13", "r8", "r9")
      DOT_LIMB("24", "r11", "r12", "r13", "r8", "r9", "r10")
      COND_SUB_P("r12", "r13", "r8", "r9", "r10", "r11", "r14", "r15")
      COND_SUB_P("r12", "r13", "r8", "r9", "r10", "r11", "r14", "r15")
      STORE_FE("r12", "r13", "r8", "r9")
      : [j] "=&r"(j)
      : [r] "r"(r->v), [a_end] "r"(a + n), [b_end] "r"(b + n), [neg_len] "rm"(-(int64_t)n * 32),
        ASM_P_OPERANDS
      /* A "memory" clobber instead of array operands: those would need two
       * more address registers than are left. */
      : "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc", "memory");
#undef DOT_LIMB
}
#endif

static inline void fe_mul(fe *r, const fe *a, const fe *b) {
#ifdef HAVE_ADX_ASM
  if (USE_ADX()) {
    fe_mul_adx(r, a, b);
    return;
  }
#endif
  fe_mul_portable(r, a, b);
}

static inline void fe_sqr(fe *r, const fe *a) { fe_mul(r, a, a); }

static inline void fe_dot(fe *r, const fe *a, const fe *b, int n) {
#ifdef HAVE_ADX_ASM
  if (USE_ADX()) {
    fe_dot_adx(r, a, b, n);
    return;
  }
#endif
  fe_dot_portable(r, a, b, n);
}

static void fe_pow(fe *r, const fe *base, const uint64_t exp[4]) {
  /* Fixed 4-bit window: 252 squarings + at most 64 multiplications. */
  fe table[16];
  table[0] = FE_ONE;
  for (int i = 1; i < 16; i++) fe_mul(&table[i], &table[i - 1], base);
  fe acc = FE_ONE;
  for (int i = 63; i >= 0; i--) {
    if (i != 63) {
      for (int k = 0; k < 4; k++) fe_sqr(&acc, &acc);
    }
    unsigned nib = (unsigned)(exp[i / 16] >> (4 * (i % 16))) & 15;
    if (nib) fe_mul(&acc, &acc, &table[nib]);
  }
  *r = acc;
}

static inline void fe_inv(fe *r, const fe *a) { fe_pow(r, a, EXP_PM2); }

/* Canonical limbs (< r) -> Montgomery form. */
static inline void fe_from_limbs(fe *r, const uint64_t a[4]) {
  fe t;
  memcpy(t.v, a, sizeof t.v);
  fe_mul(r, &t, &FE_R2);
}

/* Montgomery form -> canonical limbs. */
static inline void fe_to_limbs(uint64_t r[4], const fe *a) {
  static const fe raw_one = {{1, 0, 0, 0}};
  fe t;
  fe_mul(&t, a, &raw_one);
  memcpy(r, t.v, sizeof t.v);
}

static inline void limbs_from_le_bytes(uint64_t r[4], const uint8_t *b) {
  for (int i = 0; i < 4; i++) {
    uint64_t w = 0;
    for (int j = 7; j >= 0; j--) w = (w << 8) | b[8 * i + j];
    r[i] = w;
  }
}

/* 2^28-th root of unity z^q (z = 5, a non-residue), set in init. */
static fe SQRT_C;

/*
 * Tonelli-Shanks square root. Returns 0 when a is not a square. The root
 * returned is the one whose canonical value is <= (r - 1) / 2, which is what
 * circomlibjs' F.sqrt returns (packPoint then encodes "x > (r-1)/2" as sign).
 */
static int fe_sqrt(fe *out, const fe *a) {
  if (fe_is_zero(a)) {
    *out = *a;
    return 1;
  }
  fe w, x, b, t, c = SQRT_C;
  fe_pow(&w, a, EXP_Q12);   /* a^((q-1)/2) */
  fe_mul(&x, &w, a);        /* a^((q+1)/2) */
  fe_mul(&b, &x, &w);       /* a^q */
  int m = TWO_ADICITY;
  while (!fe_eq(&b, &FE_ONE)) {
    int i = 0;
    t = b;
    while (!fe_eq(&t, &FE_ONE)) {
      fe_sqr(&t, &t);
      if (++i == m) return 0; /* non-residue */
    }
    fe s = c;
    for (int k = 0; k < m - i - 1; k++) fe_sqr(&s, &s);
    m = i;
    fe_sqr(&c, &s);
    fe_mul(&b, &b, &c);
    fe_mul(&x, &x, &s);
  }
  uint64_t canon[4];
  fe_to_limbs(canon, &x);
  if (!limbs_geq(HALF, canon)) fe_neg(&x, &x);
  *out = x;
  return 1;
}

/* ------------------------------------------------------------------------ */
/* Poseidon (circomlibjs poseidon_opt.js, sparse-matrix form), t = 2..9       */

#define N_ROUNDS_F 8
static const int N_ROUNDS_P[POSEIDON_MAX_T - 1] = {56, 57, 56, 60, 60, 63, 64, 63};

typedef struct {
  int t, nRoundsP;
  fe *C;  /* t * N_ROUNDS_F + nRoundsP round constants */
  fe *MT; /* t x t MDS matrix, transposed: MT[i * t + j] = M[j][i] of the JSON */
  fe *PT; /* t x t pre-sparse matrix, transposed the same way */
  fe *S;  /* (2t - 1) * nRoundsP sparse-matrix entries */
} poseidon_params;

static poseidon_params POSEIDON[POSEIDON_MAX_T + 1];
/* Set (release) once the tables are built; every JS thread (worker_threads)
 * shares them, and init_lock serialises the first init() calls. */
static _Atomic int initialized = 0;
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;

static inline void pow5(fe *a) {
  fe a2, a4;
  fe_sqr(&a2, a);
  fe_sqr(&a4, &a2);
  fe_mul(a, a, &a4);
}

/* state <- state * M, i.e. out[i] = sum_j M[j][i] * state[j] = MT row i . state. */
static inline void mix(fe *state, const fe *mt, int t) {
  fe out[POSEIDON_MAX_T];
  for (int i = 0; i < t; i++) fe_dot(&out[i], &mt[i * t], state, t);
  memcpy(state, out, (size_t)t * sizeof(fe));
}

/* Hashes n = t - 1 Montgomery-form inputs; the result is in Montgomery form. */
static void poseidon_mont(fe *out, const fe *inputs, int n) {
  const poseidon_params *pp = &POSEIDON[n + 1];
  const int t = pp->t, nP = pp->nRoundsP;
  const fe *C = pp->C, *S = pp->S;
  fe state[POSEIDON_MAX_T];
  memset(&state[0], 0, sizeof(fe));
  memcpy(&state[1], inputs, (size_t)n * sizeof(fe));

  for (int i = 0; i < t; i++) fe_add(&state[i], &state[i], &C[i]);
  for (int r = 0; r < N_ROUNDS_F / 2 - 1; r++) {
    for (int i = 0; i < t; i++) {
      pow5(&state[i]);
      fe_add(&state[i], &state[i], &C[(r + 1) * t + i]);
    }
    mix(state, pp->MT, t);
  }
  for (int i = 0; i < t; i++) {
    pow5(&state[i]);
    fe_add(&state[i], &state[i], &C[(N_ROUNDS_F / 2) * t + i]);
  }
  mix(state, pp->PT, t);

  for (int r = 0; r < nP; r++) {
    const fe *Sr = &S[(2 * t - 1) * r];
    pow5(&state[0]);
    fe_add(&state[0], &state[0], &C[(N_ROUNDS_F / 2 + 1) * t + r]);
    fe s0 = state[0];
    fe_dot(&state[0], Sr, state, t);
    for (int k = 1; k < t; k++) {
      fe prod;
      fe_mul(&prod, &s0, &Sr[t + k - 1]);
      fe_add(&state[k], &state[k], &prod);
    }
  }

  for (int r = 0; r < N_ROUNDS_F / 2 - 1; r++) {
    for (int i = 0; i < t; i++) {
      pow5(&state[i]);
      fe_add(&state[i], &state[i], &C[(N_ROUNDS_F / 2 + 1) * t + nP + r * t + i]);
    }
    mix(state, pp->MT, t);
  }
  for (int i = 0; i < t; i++) pow5(&state[i]);
  /* Only state[0] of the final mix is the output. */
  fe_dot(out, pp->MT, state, t);
}

/* ------------------------------------------------------------------------ */
/* BabyJubJub: a x^2 + y^2 = 1 + d x^2 y^2, extended coordinates             */

typedef struct { fe X, Y, Z, T; } ext_point;
/* Cached operand of an addition: d*T and X+Y precomputed. */
typedef struct { fe X, Y, Z, XpY, Td; } cached_point;
/* Affine cached operand (Z = 1) used in the Base8 table. */
typedef struct { fe x, y, xpy, td; } affine_cached;

static fe CURVE_A, CURVE_D;

#define BASE_WINDOWS 64 /* 4-bit signed windows covering scalars < 2^252 */
static affine_cached *BASE8_TABLE; /* [window][k-1] = k * 16^window * Base8, k = 1..8 */

static inline void ext_identity(ext_point *p) {
  memset(p, 0, sizeof *p);
  p->Y = FE_ONE;
  p->Z = FE_ONE;
}

/* dbl-2008-hwcd; with_t = 0 skips T3 when the next operation is a doubling. */
static inline void ext_double(ext_point *r, const ext_point *p, int with_t) {
  fe A, B, C, D, E, F, G, H, s;
  fe_sqr(&A, &p->X);
  fe_sqr(&B, &p->Y);
  fe_sqr(&C, &p->Z);
  fe_add(&C, &C, &C);
  fe_mul(&D, &CURVE_A, &A);
  fe_add(&s, &p->X, &p->Y);
  fe_sqr(&E, &s);
  fe_sub(&E, &E, &A);
  fe_sub(&E, &E, &B);
  fe_add(&G, &D, &B);
  fe_sub(&F, &G, &C);
  fe_sub(&H, &D, &B);
  fe_mul(&r->X, &E, &F);
  fe_mul(&r->Y, &G, &H);
  if (with_t) fe_mul(&r->T, &E, &H);
  fe_mul(&r->Z, &F, &G);
}

/*
 * add-2008-hwcd: complete on BabyJubJub (a square, d non-square).
 * neg selects q or -q; (x, y) -> (-x, y) flips X, XpY -> Y - X and Td.
 */
static inline void ext_add_parts(ext_point *r, const ext_point *p, const fe *qX,
                                 const fe *qY, const fe *qZ, const fe *qXpY,
                                 const fe *qTd, int neg) {
  fe A, B, C, D, E, F, G, H, s, nX, nXpY, nTd;
  if (neg) {
    fe_neg(&nX, qX);
    fe_sub(&nXpY, qY, qX);
    fe_neg(&nTd, qTd);
    qX = &nX;
    qXpY = &nXpY;
    qTd = &nTd;
  }
  fe_mul(&A, &p->X, qX);
  fe_mul(&B, &p->Y, qY);
  fe_mul(&C, &p->T, qTd);
  if (qZ) {
    fe_mul(&D, &p->Z, qZ);
  } else {
    D = p->Z;
  }
  fe_add(&s, &p->X, &p->Y);
  fe_mul(&E, &s, qXpY);
  fe_sub(&E, &E, &A);
  fe_sub(&E, &E, &B);
  fe_sub(&F, &D, &C);
  fe_add(&G, &D, &C);
  fe_mul(&H, &CURVE_A, &A);
  fe_sub(&H, &B, &H);
  fe_mul(&r->X, &E, &F);
  fe_mul(&r->Y, &G, &H);
  fe_mul(&r->T, &E, &H);
  fe_mul(&r->Z, &F, &G);
}

static inline void ext_add_cached(ext_point *r, const ext_point *p, const cached_point *q,
                                  int neg) {
  ext_add_parts(r, p, &q->X, &q->Y, &q->Z, &q->XpY, &q->Td, neg);
}

static inline void ext_add_affine(ext_point *r, const ext_point *p, const affine_cached *q,
                                  int neg) {
  ext_add_parts(r, p, &q->x, &q->y, NULL, &q->xpy, &q->td, neg);
}

static inline void ext_to_cached(cached_point *c, const ext_point *p) {
  c->X = p->X;
  c->Y = p->Y;
  c->Z = p->Z;
  fe_add(&c->XpY, &p->X, &p->Y);
  fe_mul(&c->Td, &p->T, &CURVE_D);
}

static inline void ext_from_affine(ext_point *p, const fe *x, const fe *y) {
  p->X = *x;
  p->Y = *y;
  p->Z = FE_ONE;
  fe_mul(&p->T, x, y);
}

static void ext_to_affine(fe *x, fe *y, const ext_point *p) {
  fe zi;
  fe_inv(&zi, &p->Z);
  fe_mul(x, &p->X, &zi);
  fe_mul(y, &p->Y, &zi);
}

/* Signed radix-16 digits in [-8, 8) of a scalar < 2^252: the top nibble is
 * zero, so the last digit is just the carry (0 or 1) and nothing carries out. */
static void recode_signed4(int8_t digits[BASE_WINDOWS], const uint64_t k[4]) {
  int carry = 0;
  for (int i = 0; i < BASE_WINDOWS; i++) {
    int d = (int)((k[i / 16] >> (4 * (i % 16))) & 15) + carry;
    carry = d >= 8;
    digits[i] = (int8_t)(d - 16 * carry);
  }
}

/* k * Base8 for canonical k < 2^252 (callers pass k < subOrder), using the precomputed window table. */
static void mul_base8(ext_point *r, const uint64_t k[4]) {
  int8_t digits[BASE_WINDOWS];
  recode_signed4(digits, k);
  ext_identity(r);
  for (int i = 0; i < BASE_WINDOWS; i++) {
    int d = digits[i];
    if (d == 0) continue;
    int neg = d < 0;
    ext_add_affine(r, r, &BASE8_TABLE[i * 8 + (neg ? -d : d) - 1], neg);
  }
}

/* k * p for canonical k < 2^256 (254-bit hashes in practice). */
static void mul_var(ext_point *r, const ext_point *p, const uint64_t k[4]) {
  /* 65 signed digits: a full 256-bit scalar can carry into a 65th window. */
  int8_t digits[65];
  int carry = 0;
  for (int i = 0; i < 64; i++) {
    int d = (int)((k[i / 16] >> (4 * (i % 16))) & 15) + carry;
    carry = d >= 8;
    digits[i] = (int8_t)(d - 16 * carry);
  }
  digits[64] = (int8_t)carry;

  cached_point table[8]; /* 1p .. 8p */
  ext_point acc = *p, dbl;
  ext_to_cached(&table[0], p);
  ext_double(&dbl, p, 1);
  ext_to_cached(&table[1], &dbl);
  for (int i = 2; i < 8; i++) {
    ext_add_cached(&acc, &dbl, &table[i - 2], 0); /* (i+1)p = 2p + (i-1)p */
    ext_to_cached(&table[i], &acc);
  }

  int top = 64;
  while (top > 0 && digits[top] == 0) top--;
  ext_identity(r);
  for (int i = top; i >= 0; i--) {
    if (i != top) {
      ext_double(r, r, 0);
      ext_double(r, r, 0);
      ext_double(r, r, 0);
      ext_double(r, r, 1);
    }
    int d = digits[i];
    if (d != 0) {
      int neg = d < 0;
      ext_add_cached(r, r, &table[(neg ? -d : d) - 1], neg);
    }
  }
}

/* Projective equality of two extended points. */
static int ext_eq(const ext_point *a, const ext_point *b) {
  fe l, r;
  fe_mul(&l, &a->X, &b->Z);
  fe_mul(&r, &b->X, &a->Z);
  if (!fe_eq(&l, &r)) return 0;
  fe_mul(&l, &a->Y, &b->Z);
  fe_mul(&r, &b->Y, &a->Z);
  return fe_eq(&l, &r);
}

static int in_curve(const fe *x, const fe *y) {
  fe x2, y2, l, r, t;
  fe_sqr(&x2, x);
  fe_sqr(&y2, y);
  fe_mul(&l, &CURVE_A, &x2);
  fe_add(&l, &l, &y2);
  fe_mul(&t, &x2, &y2);
  fe_mul(&t, &t, &CURVE_D);
  fe_add(&r, &FE_ONE, &t);
  return fe_eq(&l, &r);
}

/*
 * circomlibjs babyJub.unpackPoint: y little-endian with x's sign in bit 255.
 * Like circomlibjs, x^2 = 0 (y = +-1) and non-squares are rejected.
 * Non-canonical y (>= r) is rejected too (circomlibjs would reduce it, which
 * makes encodings malleable).
 */
static int unpack_point(fe *x, fe *y, const uint8_t bytes[32]) {
  uint8_t buf[32];
  memcpy(buf, bytes, 32);
  int sign = (buf[31] & 0x80) != 0;
  buf[31] &= 0x7f;
  uint64_t yl[4];
  limbs_from_le_bytes(yl, buf);
  if (limbs_geq(yl, P)) return 0;
  fe_from_limbs(y, yl);
  fe y2, num, den, x2;
  fe_sqr(&y2, y);
  fe_sub(&num, &FE_ONE, &y2);
  fe_mul(&den, &CURVE_D, &y2);
  fe_sub(&den, &CURVE_A, &den);
  fe_inv(&den, &den);
  fe_mul(&x2, &num, &den);
  if (fe_is_zero(&x2)) return 0;
  if (!fe_sqrt(x, &x2)) return 0;
  if (sign) fe_neg(x, x);
  return 1;
}

/*
 * EdDSA-Poseidon verification (circomlibjs eddsa.verifyPoseidon):
 * A and R8 on the curve, S < l, and S * Base8 == R8 + 8 * h * A with
 * h = Poseidon(R8x, R8y, Ax, Ay, msg). All field inputs in Montgomery form.
 */
static int verify_mont(const fe *msg, const fe *r8x, const fe *r8y, const uint64_t s[4],
                       const fe *ax, const fe *ay) {
  if (!in_curve(r8x, r8y) || !in_curve(ax, ay)) return 0;
  if (limbs_geq(s, SUB_ORDER)) return 0;

  fe hin[5] = {*r8x, *r8y, *ax, *ay, *msg}, h;
  poseidon_mont(&h, hin, 5);
  uint64_t hl[4];
  fe_to_limbs(hl, &h);

  /* 8 * h * A computed as h * (8A), which equals it exactly as group elements. */
  ext_point A8, right, left, r8;
  ext_from_affine(&A8, ax, ay);
  ext_double(&A8, &A8, 0);
  ext_double(&A8, &A8, 0);
  ext_double(&A8, &A8, 1);
  mul_var(&right, &A8, hl);
  ext_from_affine(&r8, r8x, r8y);
  cached_point r8c;
  ext_to_cached(&r8c, &r8);
  ext_add_cached(&right, &right, &r8c, 0);

  mul_base8(&left, s);
  return ext_eq(&left, &right);
}

static int init_base8_table(void) {
  BASE8_TABLE = malloc(sizeof(affine_cached) * BASE_WINDOWS * 8);
  if (!BASE8_TABLE) return 0;
  fe bx, by;
  fe_from_limbs(&bx, BASE8_X);
  fe_from_limbs(&by, BASE8_Y);
  ext_point base, cur;
  ext_from_affine(&base, &bx, &by);
  for (int w = 0; w < BASE_WINDOWS; w++) {
    cached_point bc;
    ext_to_cached(&bc, &base);
    cur = base;
    for (int k = 1; k <= 8; k++) {
      if (k > 1) ext_add_cached(&cur, &cur, &bc, 0);
      affine_cached *e = &BASE8_TABLE[w * 8 + k - 1];
      ext_to_affine(&e->x, &e->y, &cur);
      fe_add(&e->xpy, &e->x, &e->y);
      fe_mul(&e->td, &e->x, &e->y);
      fe_mul(&e->td, &e->td, &CURVE_D);
    }
    for (int k = 0; k < 4; k++) ext_double(&base, &base, 1);
  }
  return 1;
}

/* ------------------------------------------------------------------------ */
/* Batch hashing on two cores: a persistent helper thread per JS thread      */

/*
 * poseidonMany spreads a batch over the calling (JS) thread and one helper
 * pthread. Each JS thread (main or worker_threads Worker, i.e. each napi_env)
 * that hashes batches gets its own helper, created on its first batch of >= 2
 * items and stopped by the env's cleanup hook, so no locking between JS
 * threads is needed. The helper only touches plain C memory: the JS thread
 * converts every input to Montgomery limbs before the hand-off and builds the
 * result BigInts after it.
 *
 * Hand-off (all C11 atomics):
 * - claim = (n << 32) | next. The caller publishes a batch by storing (n, 0)
 *   (release, after writing `items` and zeroing helper_done); then both
 *   threads take item indices with fetch_add until next >= n. An index taken
 *   from a later batch is still a valid claim of that batch (its fields were
 *   published before the store), so a late helper can never take an item
 *   twice or touch a finished batch: a claim with next >= n reads nothing.
 * - helper_done counts items the helper finished (release); the caller,
 *   after running out of items, spins until it equals n minus its own count
 *   (acquire), so the helper's results are visible and the batch memory may
 *   be reused. If the helper is not there, the caller hashes every item.
 * - Idle: the helper spins (pause) on claim for spin_ns (1 ms: the STF
 *   spends 200-500 us of JS between transfers) after its last item, then
 *   naps on a condition variable with a timeout (PM_NAP_MIN_NS, doubling up
 *   to PM_NAP_MAX_NS while no work comes) and spins PM_NAP_SPIN_NS after
 *   each nap. The caller never wakes it: on this VM (vCPUs without a shared
 *   cache domain) Linux puts a woken thread on the waker's CPU, and each
 *   wake-up stalled the caller for ~280 us. A batch that finds the helper
 *   napping is hashed by the caller alone, and a stream of batches (the STF)
 *   has the helper back within one nap. Only stop signals the condition
 *   variable. An idle process costs PM_NAP_SPIN_NS / PM_NAP_MAX_NS (0.5%)
 *   of a core.
 * - Oversubscribed CPUs: a spinning helper without a core of its own only
 *   takes CPU time from the caller and everything else. When the helper sees
 *   that it was descheduled (a PM_PREEMPT_NS gap between two clock reads while
 *   spinning, or an item that took that long), or the caller sees the same of
 *   itself or waits that long for a helper item, the helper is benched: it
 *   naps and the caller hashes alone until backoff_until, PM_BACKOFF_MIN_NS
 *   at first, doubling (up to PM_BACKOFF_MAX_NS) while it recurs soon after.
 */
typedef struct {
  _Alignas(64) fe in[POSEIDON_MAX_T - 1];
  fe out;
  int n;
} pm_item;

typedef struct {
  _Alignas(64) _Atomic uint64_t claim;    /* written by both; polled by the helper */
  pm_item *items;                         /* the current batch (plain; see above) */
  _Alignas(64) _Atomic uint32_t helper_done; /* written by the helper, polled by the caller */
  _Alignas(64) _Atomic int sleeping; /* napping (for threadStats) */
  _Atomic int stop;
  _Atomic uint64_t spin_ns;
  /* Benching (see above); written by both threads, relaxed. */
  _Atomic uint64_t backoff_until, backoff_ns, last_backoff;
  /* Statistics (relaxed; read by threadStats()). */
  _Atomic uint64_t helper_items, wakeups, backoffs;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  pthread_t thread;
} pm_helper;

/* Per-env state (napi instance data). Only its JS thread touches it. */
typedef struct {
  int threads;            /* 1: no helper; 2: use the helper for batches >= 2 */
  uint64_t spin_ns;       /* helper's spin budget after work before it naps */
  pm_helper *helper;      /* NULL until the first batch (or after setThreads(1)) */
  uint64_t caller_items, batches, caller_wait_ns; /* of the batches offered to the helper */
} pm_env;

#ifndef PM_DEFAULT_SPIN_US
#define PM_DEFAULT_SPIN_US 1000
#endif
#ifndef PM_PREEMPT_NS
#define PM_PREEMPT_NS 200000ull
#endif
#define PM_NAP_MIN_NS 1000000ull
#define PM_NAP_MAX_NS 64000000ull
/* Spin after a nap (the spin after work is spin_ns). */
#define PM_NAP_SPIN_NS 300000ull
#define PM_BACKOFF_MIN_NS 1000000ull
#define PM_BACKOFF_MAX_NS 128000000ull

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

static inline uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline int pm_has_work(uint64_t claim) { return (uint32_t)claim < (uint32_t)(claim >> 32); }

/* Benches the helper: the caller hashes alone until the backoff ends. */
static void pm_backoff(pm_helper *h, uint64_t now) {
  uint64_t len = atomic_load_explicit(&h->backoff_ns, memory_order_relaxed);
  uint64_t last = atomic_load_explicit(&h->last_backoff, memory_order_relaxed);
  /* Doubles when the last backoff started less than 4 backoffs ago. */
  len = (last && now - last < 4 * len) ? len * 2 : PM_BACKOFF_MIN_NS;
  if (len < PM_BACKOFF_MIN_NS) len = PM_BACKOFF_MIN_NS;
  if (len > PM_BACKOFF_MAX_NS) len = PM_BACKOFF_MAX_NS;
  atomic_store_explicit(&h->backoff_ns, len, memory_order_relaxed);
  atomic_store_explicit(&h->last_backoff, now, memory_order_relaxed);
  atomic_store_explicit(&h->backoff_until, now + len, memory_order_relaxed);
  atomic_fetch_add_explicit(&h->backoffs, 1, memory_order_relaxed);
}

static void *pm_helper_main(void *arg) {
  pm_helper *h = arg;
  uint64_t nap = PM_NAP_MIN_NS, spin = 0;
  for (;;) {
    /* Spin for work, then nap. */
    uint64_t start = now_ns(), last = start;
    for (unsigned iter = 1;; iter++) {
      if (pm_has_work(atomic_load_explicit(&h->claim, memory_order_relaxed))) break;
      if (atomic_load_explicit(&h->stop, memory_order_relaxed)) return NULL;
      if ((iter & 63) != 0) {
        cpu_relax();
        continue;
      }
      uint64_t now = now_ns();
      int preempted = now - last > PM_PREEMPT_NS;
      last = now;
      if (preempted) pm_backoff(h, now);
      if (!spin) spin = atomic_load_explicit(&h->spin_ns, memory_order_relaxed);
      if (preempted || now - start > spin) {
        /* Nap: nobody signals work (see above), only stop. A benched helper
         * naps until the backoff ends. */
        uint64_t until = atomic_load_explicit(&h->backoff_until, memory_order_relaxed);
        uint64_t len = until > now + nap ? until - now : nap;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t ns = (uint64_t)ts.tv_nsec + len;
        ts.tv_sec += (time_t)(ns / 1000000000u);
        ts.tv_nsec = (long)(ns % 1000000000u);
        pthread_mutex_lock(&h->mu);
        atomic_store_explicit(&h->sleeping, 1, memory_order_relaxed);
        if (!atomic_load_explicit(&h->stop, memory_order_relaxed)) pthread_cond_timedwait(&h->cv, &h->mu, &ts);
        atomic_store_explicit(&h->sleeping, 0, memory_order_relaxed);
        pthread_mutex_unlock(&h->mu);
        atomic_fetch_add_explicit(&h->wakeups, 1, memory_order_relaxed);
        if (nap < PM_NAP_MAX_NS) nap *= 2;
        spin = atomic_load_explicit(&h->spin_ns, memory_order_relaxed);
        if (spin > PM_NAP_SPIN_NS) spin = PM_NAP_SPIN_NS;
        start = last = now_ns();
      }
    }
    nap = PM_NAP_MIN_NS;
    spin = 0;
    /* Take items until the batch runs out. */
    for (;;) {
      uint64_t c = atomic_fetch_add_explicit(&h->claim, 1, memory_order_acquire);
      uint32_t i = (uint32_t)c;
      if (i >= (uint32_t)(c >> 32)) break;
      pm_item *it = &h->items[i];
      uint64_t t0 = now_ns();
      poseidon_mont(&it->out, it->in, it->n);
      uint64_t t1 = now_ns();
      if (t1 - t0 > PM_PREEMPT_NS) pm_backoff(h, t1);
      atomic_fetch_add_explicit(&h->helper_items, 1, memory_order_relaxed);
      atomic_fetch_add_explicit(&h->helper_done, 1, memory_order_release);
    }
  }
}

static void pm_helper_wake(pm_helper *h) {
  pthread_mutex_lock(&h->mu);
  pthread_cond_signal(&h->cv);
  pthread_mutex_unlock(&h->mu);
}

/* Starts a helper; NULL when threads cannot be created (then the caller hashes alone). */
static pm_helper *pm_helper_start(uint64_t spin_ns) {
  pm_helper *h;
  if (posix_memalign((void **)&h, 64, sizeof *h) != 0) return NULL;
  memset(h, 0, sizeof *h);
  atomic_init(&h->claim, 0);
  atomic_init(&h->helper_done, 0);
  atomic_init(&h->sleeping, 0);
  atomic_init(&h->stop, 0);
  atomic_init(&h->spin_ns, spin_ns);
  atomic_init(&h->helper_items, 0);
  atomic_init(&h->wakeups, 0);
  atomic_init(&h->backoffs, 0);
  atomic_init(&h->backoff_until, 0);
  atomic_init(&h->backoff_ns, 0);
  atomic_init(&h->last_backoff, 0);
  h->items = NULL;
  if (pthread_mutex_init(&h->mu, NULL) != 0) {
    free(h);
    return NULL;
  }
  if (pthread_cond_init(&h->cv, NULL) != 0) {
    pthread_mutex_destroy(&h->mu);
    free(h);
    return NULL;
  }
  pthread_attr_t attr;
  int ok = pthread_attr_init(&attr) == 0;
  /* Poseidon needs a few KB of stack. */
  if (ok) pthread_attr_setstacksize(&attr, 256 * 1024);
  ok = ok && pthread_create(&h->thread, &attr, pm_helper_main, h) == 0;
  pthread_attr_destroy(&attr);
  if (!ok) {
    pthread_cond_destroy(&h->cv);
    pthread_mutex_destroy(&h->mu);
    free(h);
    return NULL;
  }
  return h;
}

/* Stops and joins the helper (it is idle: batches finish inside poseidonMany). */
static void pm_helper_stop(pm_helper *h) {
  if (!h) return;
  atomic_store_explicit(&h->stop, 1, memory_order_seq_cst);
  pm_helper_wake(h);
  pthread_join(h->thread, NULL);
  pthread_cond_destroy(&h->cv);
  pthread_mutex_destroy(&h->mu);
  free(h);
}

/* Hashes items[0..n) on this thread and, when enabled and n >= 2, the helper. */
static void pm_run(pm_env *st, pm_item *items, uint32_t n) {
  pm_helper *h = NULL;
  if (st && st->threads > 1 && n >= 2) {
    if (!st->helper) {
      st->helper = pm_helper_start(st->spin_ns);
      if (!st->helper) st->threads = 1; /* no threads here: stay single-threaded */
    }
    h = st->helper;
  }
  if (h && now_ns() < atomic_load_explicit(&h->backoff_until, memory_order_relaxed)) h = NULL;
  if (!h) {
    for (uint32_t i = 0; i < n; i++) poseidon_mont(&items[i].out, items[i].in, items[i].n);
    return;
  }
  atomic_store_explicit(&h->helper_done, 0, memory_order_relaxed);
  h->items = items;
  atomic_store_explicit(&h->claim, (uint64_t)n << 32, memory_order_release);
  uint32_t mine = 0;
  uint64_t t0 = now_ns();
  for (;;) {
    uint64_t c = atomic_fetch_add_explicit(&h->claim, 1, memory_order_relaxed);
    uint32_t i = (uint32_t)c;
    if (i >= n) break;
    poseidon_mont(&items[i].out, items[i].in, items[i].n);
    uint64_t t1 = now_ns();
    if (t1 - t0 > PM_PREEMPT_NS) pm_backoff(h, t1); /* this thread was descheduled */
    t0 = t1;
    mine++;
  }
  const uint32_t theirs = n - mine;
  if (atomic_load_explicit(&h->helper_done, memory_order_acquire) != theirs) {
    t0 = now_ns();
    while (atomic_load_explicit(&h->helper_done, memory_order_acquire) != theirs) cpu_relax();
    uint64_t t1 = now_ns();
    st->caller_wait_ns += t1 - t0;
    if (t1 - t0 > PM_PREEMPT_NS) pm_backoff(h, t1);
  }
  st->caller_items += mine;
  st->batches++;
}

static void pm_env_cleanup(void *arg) {
  pm_env *st = arg;
  pm_helper_stop(st->helper);
  free(st);
}

/* ------------------------------------------------------------------------ */
/* Node-API glue                                                             */

#define NAPI_CALL(env, call)                                              \
  do {                                                                    \
    if ((call) != napi_ok) {                                              \
      napi_throw_error((env), "ERR_NAPI", "Node-API call failed: " #call); \
      return NULL;                                                        \
    }                                                                     \
  } while (0)

enum { READ_OK = 0, READ_NOT_BIGINT, READ_RANGE };

/* Reads a bigint into 4 canonical limbs; READ_RANGE if negative or >= 2^256. */
static int read_u256(napi_env env, napi_value v, uint64_t out[4]) {
  int sign = 0;
  size_t wc = 4;
  out[0] = out[1] = out[2] = out[3] = 0;
  if (napi_get_value_bigint_words(env, v, &sign, &wc, out) != napi_ok) return READ_NOT_BIGINT;
  if (wc > 4 || (sign && !limbs_is_zero(out))) return READ_RANGE;
  return READ_OK;
}

/* Reads a bigint field element (0 <= v < r) into Montgomery form. */
static int read_fe(napi_env env, napi_value v, fe *out) {
  uint64_t l[4];
  int rc = read_u256(env, v, l);
  if (rc != READ_OK) return rc;
  if (limbs_geq(l, P)) return READ_RANGE;
  fe_from_limbs(out, l);
  return READ_OK;
}

static napi_value make_bigint_limbs(napi_env env, const uint64_t l[4]) {
  napi_value out;
  if (napi_create_bigint_words(env, 0, 4, l, &out) != napi_ok) return NULL;
  return out;
}

static napi_value make_bigint_fe(napi_env env, const fe *a) {
  uint64_t l[4];
  fe_to_limbs(l, a);
  return make_bigint_limbs(env, l);
}

static napi_value make_point(napi_env env, const fe *x, const fe *y) {
  napi_value arr;
  NAPI_CALL(env, napi_create_array_with_length(env, 2, &arr));
  NAPI_CALL(env, napi_set_element(env, arr, 0, make_bigint_fe(env, x)));
  NAPI_CALL(env, napi_set_element(env, arr, 1, make_bigint_fe(env, y)));
  return arr;
}

static int require_init(napi_env env) {
  int ok = atomic_load_explicit(&initialized, memory_order_acquire);
  if (!ok) napi_throw_error(env, "ERR_NOT_INITIALIZED", "rollup_crypto: init() was not called");
  return ok;
}

static void throw_input_error(napi_env env, const char *what, uint32_t index, int rc) {
  char msg[160];
  if (rc == READ_NOT_BIGINT) {
    snprintf(msg, sizeof msg, "%s: input %u must be a bigint", what, index);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  } else {
    snprintf(msg, sizeof msg,
             "%s: input %u is not a field element (must satisfy 0 <= x < r)", what, index);
    napi_throw_range_error(env, "ERR_FIELD_RANGE", msg);
  }
}

/* Reads one JS array of 1..8 bigints into Montgomery form; 0 with a pending
 * exception on error. */
static int read_poseidon_inputs(napi_env env, napi_value arr, fe in[POSEIDON_MAX_T - 1], int *count) {
  uint32_t n;
  if (napi_get_array_length(env, arr, &n) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "poseidon: inputs must be an array");
    return 0;
  }
  if (n < 1 || n > POSEIDON_MAX_T - 1) {
    napi_throw_range_error(env, "ERR_POSEIDON_ARITY", "poseidon: expected 1 to 8 inputs");
    return 0;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    if (napi_get_element(env, arr, i, &v) != napi_ok) {
      napi_throw_error(env, "ERR_NAPI", "Node-API call failed: napi_get_element");
      return 0;
    }
    int rc = read_fe(env, v, &in[i]);
    if (rc != READ_OK) {
      throw_input_error(env, "poseidon", i, rc);
      return 0;
    }
  }
  *count = (int)n;
  return 1;
}

/* Hashes one JS array of bigints; returns NULL with a pending exception on error. */
static napi_value poseidon_array(napi_env env, napi_value arr) {
  fe in[POSEIDON_MAX_T - 1], out;
  int n;
  if (!read_poseidon_inputs(env, arr, in, &n)) return NULL;
  poseidon_mont(&out, in, n);
  return make_bigint_fe(env, &out);
}

enum { INIT_OK = 0, INIT_BAD_SIZE, INIT_BAD_CONSTANT, INIT_NO_MEMORY };

/* In-place transpose of a t x t matrix (row-major). */
static void transpose(fe *m, int t) {
  for (int i = 0; i < t; i++) {
    for (int j = i + 1; j < t; j++) {
      fe tmp = m[i * t + j];
      m[i * t + j] = m[j * t + i];
      m[j * t + i] = tmp;
    }
  }
}

/* Loads the Poseidon constants (layout: see scripts/gen-poseidon-constants.mjs)
 * into Montgomery form and builds the tables; returns an INIT_* code. */
static int init_tables(const uint8_t *bytes, size_t len) {
  size_t words = 0;
  for (int t = 2; t <= POSEIDON_MAX_T; t++) {
    int nP = N_ROUNDS_P[t - 2];
    words += (size_t)(t * N_ROUNDS_F + nP) + 2 * (size_t)(t * t) + (size_t)(2 * t - 1) * nP;
  }
  if (len != words * 32) return INIT_BAD_SIZE;
  fe *all = malloc(words * sizeof(fe));
  if (!all) return INIT_NO_MEMORY;
  for (size_t i = 0; i < words; i++) {
    uint64_t l[4];
    limbs_from_le_bytes(l, bytes + 32 * i);
    if (limbs_geq(l, P)) {
      free(all);
      return INIT_BAD_CONSTANT;
    }
    fe_from_limbs(&all[i], l);
  }
  fe *cur = all;
  for (int t = 2; t <= POSEIDON_MAX_T; t++) {
    poseidon_params *pp = &POSEIDON[t];
    pp->t = t;
    pp->nRoundsP = N_ROUNDS_P[t - 2];
    pp->C = cur; cur += t * N_ROUNDS_F + pp->nRoundsP;
    /* Transposed so that every linear-layer output is a contiguous dot product. */
    pp->MT = cur; cur += t * t;
    transpose(pp->MT, t);
    pp->PT = cur; cur += t * t;
    transpose(pp->PT, t);
    pp->S = cur; cur += (2 * t - 1) * pp->nRoundsP;
  }

  static const uint64_t five[4] = {5, 0, 0, 0}, a_raw[4] = {168700, 0, 0, 0},
                        d_raw[4] = {168696, 0, 0, 0};
  fe z;
  uint64_t q[4];
  /* q = 2 * ((q-1)/2) + 1 */
  q[0] = (EXP_Q12[0] << 1) | 1;
  for (int i = 1; i < 4; i++) q[i] = (EXP_Q12[i] << 1) | (EXP_Q12[i - 1] >> 63);
  fe_from_limbs(&z, five);
  fe_pow(&SQRT_C, &z, q);
  fe_from_limbs(&CURVE_A, a_raw);
  fe_from_limbs(&CURVE_D, d_raw);
  return init_base8_table() ? INIT_OK : INIT_NO_MEMORY;
}

/* Selects the arithmetic and returns its name; portable forces plain C. */
static const char *select_arithmetic(int portable) {
#ifdef HAVE_ADX_ASM
  __builtin_cpu_init();
  int adx = !portable && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("adx");
  atomic_store_explicit(&use_adx, adx, memory_order_relaxed);
  if (adx) return "x86-64-adx";
#else
  (void)portable;
#endif
  return "portable";
}

/*
 * init(constants: Buffer, portable?: boolean): string
 * Poseidon constants for t = 2..9, each as C, M, P, S in 32-byte little-endian
 * canonical words. portable = true forces the plain C arithmetic (to test it
 * on CPUs that have the extensions). Returns the arithmetic in use. Later
 * calls only re-select the arithmetic: the tables do not depend on it.
 */
static napi_value js_init(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], name;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *data;
  size_t len;
  bool portable = false;
  if (argc < 1 || napi_get_buffer_info(env, argv[0], &data, &len) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "init: expected a Buffer of constants");
    return NULL;
  }
  if (argc >= 2 && napi_get_value_bool(env, argv[1], &portable) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "init: portable must be a boolean");
    return NULL;
  }
  /* The arithmetic is selected first: init_tables computes with it. */
  const char *arithmetic = select_arithmetic(portable);
  if (!atomic_load_explicit(&initialized, memory_order_acquire)) {
    pthread_mutex_lock(&init_lock);
    int rc = INIT_OK;
    if (!atomic_load_explicit(&initialized, memory_order_relaxed)) {
      rc = init_tables(data, len);
      if (rc == INIT_OK) atomic_store_explicit(&initialized, 1, memory_order_release);
    }
    pthread_mutex_unlock(&init_lock);
    switch (rc) {
      case INIT_OK:
        break;
      case INIT_BAD_SIZE:
        napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE", "init: constants buffer has the wrong size");
        return NULL;
      case INIT_BAD_CONSTANT:
        napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE", "init: constant is not a field element");
        return NULL;
      default:
        napi_throw_error(env, "ERR_MEMORY", "init: out of memory");
        return NULL;
    }
  }
  NAPI_CALL(env, napi_create_string_utf8(env, arithmetic, NAPI_AUTO_LENGTH, &name));
  return name;
}

/* poseidon(inputs: bigint[]): bigint */
static napi_value js_poseidon(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!require_init(env)) return NULL;
  return poseidon_array(env, argv[0]);
}

static pm_env *get_env_state(napi_env env) {
  void *data = NULL;
  if (napi_get_instance_data(env, &data) != napi_ok) return NULL;
  return data;
}

/*
 * poseidonMany(batch: bigint[][]): bigint[]
 * Independent hashes; batches of >= 2 are split with the helper thread unless
 * setThreads(1) was called. Inputs are all read (and validated) before any
 * hashing, outputs created after it.
 */
static napi_value js_poseidon_many(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  uint32_t n;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!require_init(env)) return NULL;
  if (argc < 1 || napi_get_array_length(env, argv[0], &n) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "poseidonMany: expected an array of arrays");
    return NULL;
  }
  pm_item stack_items[16];
  pm_item *items = stack_items;
  if (n > 16) {
    items = aligned_alloc(64, (size_t)n * sizeof(pm_item));
    if (!items) {
      napi_throw_error(env, "ERR_MEMORY", "poseidonMany: out of memory");
      return NULL;
    }
  }
  napi_value result = NULL;
  uint32_t i = 0;
  for (; i < n; i++) {
    napi_value item;
    if (napi_get_element(env, argv[0], i, &item) != napi_ok) {
      napi_throw_error(env, "ERR_NAPI", "Node-API call failed: napi_get_element");
      break;
    }
    if (!read_poseidon_inputs(env, item, items[i].in, &items[i].n)) break;
  }
  if (i == n) {
    pm_run(get_env_state(env), items, n);
    if (napi_create_array_with_length(env, n, &out) == napi_ok) {
      result = out;
      for (i = 0; i < n; i++) {
        napi_value h = make_bigint_fe(env, &items[i].out);
        if (!h || napi_set_element(env, out, i, h) != napi_ok) {
          napi_throw_error(env, "ERR_NAPI", "poseidonMany: could not build the result");
          result = NULL;
          break;
        }
      }
    } else {
      napi_throw_error(env, "ERR_NAPI", "Node-API call failed: napi_create_array_with_length");
    }
  }
  if (items != stack_items) free(items);
  return result;
}

/*
 * setThreads(threads?: number, spinMicros?: number): number
 * Threads poseidonMany uses on this JS thread: 1 (no helper; stops a running
 * one) or 2 (the default when the CPU has >= 2 cores; larger values mean 2).
 * spinMicros sets how long the helper spins for work before it sleeps.
 * Returns the setting in effect.
 */
static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], res;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  pm_env *st = get_env_state(env);
  if (!st) {
    napi_throw_error(env, "ERR_NAPI", "setThreads: no per-thread state");
    return NULL;
  }
  napi_valuetype type;
  if (argc >= 1 && napi_typeof(env, argv[0], &type) == napi_ok && type != napi_undefined) {
    int64_t threads;
    if (napi_get_value_int64(env, argv[0], &threads) != napi_ok || threads < 1) {
      napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE", "setThreads: threads must be a number >= 1");
      return NULL;
    }
    st->threads = threads >= 2 ? 2 : 1;
    if (st->threads == 1 && st->helper) {
      pm_helper_stop(st->helper);
      st->helper = NULL;
    }
  }
  if (argc >= 2 && napi_typeof(env, argv[1], &type) == napi_ok && type != napi_undefined) {
    double us;
    if (napi_get_value_double(env, argv[1], &us) != napi_ok || !(us >= 0) || us > 1e7) {
      napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE", "setThreads: spinMicros must be in [0, 1e7]");
      return NULL;
    }
    st->spin_ns = (uint64_t)(us * 1000);
    if (st->helper) atomic_store_explicit(&st->helper->spin_ns, st->spin_ns, memory_order_relaxed);
  }
  NAPI_CALL(env, napi_create_int32(env, st->threads, &res));
  return res;
}

static int set_number(napi_env env, napi_value obj, const char *key, double v) {
  napi_value nv;
  return napi_create_double(env, v, &nv) == napi_ok && napi_set_named_property(env, obj, key, nv) == napi_ok;
}

/* threadStats(): counters of this JS thread's poseidonMany (for tests and benchmarks). */
static napi_value js_thread_stats(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj;
  pm_env *st = get_env_state(env);
  if (!st) {
    napi_throw_error(env, "ERR_NAPI", "threadStats: no per-thread state");
    return NULL;
  }
  NAPI_CALL(env, napi_create_object(env, &obj));
  pm_helper *h = st->helper;
  int ok = set_number(env, obj, "threads", st->threads) &&
           set_number(env, obj, "spinMicros", (double)st->spin_ns / 1000) &&
           set_number(env, obj, "helperRunning", h != NULL) &&
           set_number(env, obj, "helperSleeping",
                      h ? atomic_load_explicit(&h->sleeping, memory_order_relaxed) : 0) &&
           set_number(env, obj, "batches", (double)st->batches) &&
           set_number(env, obj, "callerItems", (double)st->caller_items) &&
           set_number(env, obj, "helperItems",
                      h ? (double)atomic_load_explicit(&h->helper_items, memory_order_relaxed) : 0) &&
           set_number(env, obj, "helperWakeups",
                      h ? (double)atomic_load_explicit(&h->wakeups, memory_order_relaxed) : 0) &&
           set_number(env, obj, "helperBackoffs",
                      h ? (double)atomic_load_explicit(&h->backoffs, memory_order_relaxed) : 0) &&
           set_number(env, obj, "callerWaitMicros", (double)st->caller_wait_ns / 1000);
  if (!ok) {
    napi_throw_error(env, "ERR_NAPI", "threadStats: could not build the result");
    return NULL;
  }
  return obj;
}

/* unpackPoint(bytes: Uint8Array(32)): [x, y] | null */
static napi_value js_unpack_point(napi_env env, napi_callback_info info) {
  size_t argc = 1, len;
  napi_value argv[1], nul;
  napi_typedarray_type type;
  void *data;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!require_init(env)) return NULL;
  if (napi_get_typedarray_info(env, argv[0], &type, &len, &data, NULL, NULL) != napi_ok ||
      type != napi_uint8_array || len != 32) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "unpackPoint: expected a Uint8Array(32)");
    return NULL;
  }
  fe x, y;
  NAPI_CALL(env, napi_get_null(env, &nul));
  if (!unpack_point(&x, &y, data)) return nul;
  return make_point(env, &x, &y);
}

/* Reads the shared (msg, ..., Ax, Ay) verification arguments; 0 = invalid. */
static int read_point_args(napi_env env, napi_value vx, napi_value vy, fe *x, fe *y) {
  return read_fe(env, vx, x) == READ_OK && read_fe(env, vy, y) == READ_OK;
}

static int read_msg(napi_env env, napi_value v, fe *msg) {
  int rc = read_fe(env, v, msg);
  if (rc != READ_OK) throw_input_error(env, "verify: msg", 0, rc);
  return rc == READ_OK;
}

/* verify(msg, R8x, R8y, S, Ax, Ay): boolean (all bigints) */
static napi_value js_verify(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6], res;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!require_init(env)) return NULL;
  if (argc != 6) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "verify: expected 6 arguments");
    return NULL;
  }
  fe msg, r8x, r8y, ax, ay;
  uint64_t s[4];
  if (!read_msg(env, argv[0], &msg)) return NULL;
  int ok = read_point_args(env, argv[1], argv[2], &r8x, &r8y) &&
           read_u256(env, argv[3], s) == READ_OK &&
           read_point_args(env, argv[4], argv[5], &ax, &ay) &&
           verify_mont(&msg, &r8x, &r8y, s, &ax, &ay);
  NAPI_CALL(env, napi_get_boolean(env, ok, &res));
  return res;
}

/* verifyPacked(msg, sig: Uint8Array(64), Ax, Ay): boolean */
static napi_value js_verify_packed(napi_env env, napi_callback_info info) {
  size_t argc = 4, len;
  napi_value argv[4], res;
  napi_typedarray_type type;
  void *data;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!require_init(env)) return NULL;
  if (argc != 4) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "verifyPacked: expected 4 arguments");
    return NULL;
  }
  if (napi_get_typedarray_info(env, argv[1], &type, &len, &data, NULL, NULL) != napi_ok ||
      type != napi_uint8_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "verifyPacked: sig must be a Uint8Array");
    return NULL;
  }
  fe msg, r8x, r8y, ax, ay;
  uint64_t s[4];
  if (!read_msg(env, argv[0], &msg)) return NULL;
  const uint8_t *sig = data;
  int ok = len == 64 && read_point_args(env, argv[2], argv[3], &ax, &ay) &&
           unpack_point(&r8x, &r8y, sig);
  if (ok) {
    limbs_from_le_bytes(s, sig + 32);
    ok = verify_mont(&msg, &r8x, &r8y, s, &ax, &ay);
  }
  NAPI_CALL(env, napi_get_boolean(env, ok, &res));
  return res;
}

/* mulBase8(k: bigint): [x, y] with 0 <= k < subOrder (used for key derivation/signing) */
static napi_value js_mul_base8(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!require_init(env)) return NULL;
  uint64_t k[4];
  if (read_u256(env, argv[0], k) != READ_OK || limbs_geq(k, SUB_ORDER)) {
    napi_throw_range_error(env, "ERR_SCALAR_RANGE", "mulBase8: scalar must be a bigint in [0, subOrder)");
    return NULL;
  }
  ext_point p;
  fe x, y;
  mul_base8(&p, k);
  ext_to_affine(&x, &y, &p);
  return make_point(env, &x, &y);
}

/*
 * qapEvaluate(coefficients: Uint8Array, witness: Uint8Array, a: Uint8Array, b: Uint8Array,
 *             c: Uint8Array): void
 *
 * The Groth16 prover's first step (snarkjs groth16_prove.js, buildABC1): the evaluations of
 * the witness's A and B polynomials at the points of the domain, and their product C.
 * `coefficients` is a zkey's section 4 (a u32 count, then records `m u32, c u32, s u32,
 * value 32 B`: wire s contributes value to row c of matrix m, 0 = A, 1 = B), `witness` a wtns
 * file's section 2 (32 B per wire). a, b, c (32 B per domain point) are overwritten:
 * out_m[c] += value * witness[s], then c[i] = a[i] * b[i], every product the Montgomery
 * product that ffjavascript's Fr.mul computes on the same words (4 little-endian u64 limbs),
 * so the outputs are bit for bit snarkjs'. Throws on records that point outside the buffers.
 */
static int typed_bytes(napi_env env, napi_value v, uint8_t **data, size_t *length) {
  napi_typedarray_type type;
  size_t count, offset;
  napi_value buffer;
  void *base;
  if (napi_get_typedarray_info(env, v, &type, &count, &base, &buffer, &offset) != napi_ok || type != napi_uint8_array) return 0;
  *data = base;
  *length = count;
  return 1;
}

static inline void fe_load(fe *r, const uint8_t *bytes) { memcpy(r->v, bytes, 32); }
static inline void fe_store(uint8_t *bytes, const fe *a) { memcpy(bytes, a->v, 32); }

static napi_value js_qap_evaluate(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *coefs, *witness, *out[3];
  size_t coefs_len, witness_len, out_len[3];
  if (argc < 5 || !typed_bytes(env, argv[0], &coefs, &coefs_len) || !typed_bytes(env, argv[1], &witness, &witness_len) ||
      !typed_bytes(env, argv[2], &out[0], &out_len[0]) || !typed_bytes(env, argv[3], &out[1], &out_len[1]) ||
      !typed_bytes(env, argv[4], &out[2], &out_len[2])) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "qapEvaluate: expected five Uint8Arrays (coefficients, witness, a, b, c)");
    return NULL;
  }
  if (coefs_len < 4 || out_len[0] != out_len[1] || out_len[0] != out_len[2] || out_len[0] % 32 != 0) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "qapEvaluate: a, b and c must have the same size, 32 bytes per domain point");
    return NULL;
  }
  uint32_t count;
  memcpy(&count, coefs, 4);
  const size_t record = 12 + 32;
  if (coefs_len < 4 + (size_t)count * record) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "qapEvaluate: the coefficient section is shorter than its count");
    return NULL;
  }
  const size_t points = out_len[0] / 32, wires = witness_len / 32;
  memset(out[0], 0, out_len[0]);
  memset(out[1], 0, out_len[1]);
  for (uint32_t k = 0; k < count; k++) {
    const uint8_t *rec = coefs + 4 + (size_t)k * record;
    uint32_t m, row, wire;
    memcpy(&m, rec, 4);
    memcpy(&row, rec + 4, 4);
    memcpy(&wire, rec + 8, 4);
    if (m > 1 || row >= points || wire >= wires) {
      napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "qapEvaluate: a coefficient record points outside the domain or the witness");
      return NULL;
    }
    fe value, w, product, sum;
    fe_load(&value, rec + 12);
    fe_load(&w, witness + (size_t)wire * 32);
    fe_mul(&product, &value, &w);
    fe_load(&sum, out[m] + (size_t)row * 32);
    fe_add(&sum, &sum, &product);
    fe_store(out[m] + (size_t)row * 32, &sum);
  }
  for (size_t i = 0; i < points; i++) {
    fe x, y, z;
    fe_load(&x, out[0] + i * 32);
    fe_load(&y, out[1] + i * 32);
    fe_mul(&z, &x, &y);
    fe_store(out[2] + i * 32, &z);
  }
  return NULL;
}

/*
 * ---------------------------------------------------------------------------------------------
 * G1 and G2 multi-scalar multiplications over BN254 for the Groth16 prover (prover/groth16.ts).
 *
 * g1MsmAffine(bases: Uint8Array, scalars: Uint8Array, threads: number): Promise<Uint8Array>
 * g2MsmAffine(bases: Uint8Array, scalars: Uint8Array, threads: number): Promise<Uint8Array>
 *
 * Σ scalar_i · base_i with bases as a zkey stores them (affine x ‖ y, little-endian Montgomery
 * words over the base field q: 32 B each in G1, c0 ‖ c1 of 32 B each in G2; all zero is the
 * point at infinity) and scalars as a wtns stores them (32 B little-endian, standard form,
 * below r). The result is affine in the same form, which ffjavascript's G1 / G2 read as a
 * point (all zero = infinity).
 * Pippenger's bucket method, one window of c bits at a time, windows shared among `threads`
 * pthreads; the work runs off the JS thread (napi async work), so the caller's event loop (and
 * ffjavascript's worker threads it feeds) go on meanwhile.
 * ---------------------------------------------------------------------------------------------
 */
typedef struct { uint64_t v[4]; } fq;
static const uint64_t Q[4] = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL};
static const uint64_t QINV = 0x87d20782e4866389ULL; /* -q^-1 mod 2^64 */
static const fq FQ_ONE = {{0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL, 0x0e0a77c19a07df2fULL}};
static const uint64_t EXP_QM2[4] = {0x3c208c16d87cfd45ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL};

static inline int fq_is_zero(const fq *a) { return (a->v[0] | a->v[1] | a->v[2] | a->v[3]) == 0; }

static inline void fq_reduce_once(uint64_t t[4]) {
  uint64_t s[4];
  if (!limbs_sub(s, t, Q)) memcpy(t, s, sizeof s);
}

static inline void fq_add(fq *r, const fq *a, const fq *b) {
  /* q < 2^254: the sum fits in 256 bits. */
  uint64_t carry = 0;
  for (int i = 0; i < 4; i++) {
    u128 s = (u128)a->v[i] + b->v[i] + carry;
    r->v[i] = (uint64_t)s;
    carry = (uint64_t)(s >> 64);
  }
  fq_reduce_once(r->v);
}

static inline void fq_sub(fq *r, const fq *a, const fq *b) {
  if (limbs_sub(r->v, a->v, b->v)) {
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
      u128 s = (u128)r->v[i] + Q[i] + carry;
      r->v[i] = (uint64_t)s;
      carry = (uint64_t)(s >> 64);
    }
  }
}

/* Montgomery multiplication mod q, CIOS without the extra word (q's top limb < 2^63 - 1). */
static inline void fq_mul(fq *r, const fq *a, const fq *b) {
  uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  for (int i = 0; i < 4; i++) {
    const uint64_t bi = b->v[i];
    u128 A = (u128)a->v[0] * bi + t0;
    uint64_t lo = (uint64_t)A;
    uint64_t m = lo * QINV;
    u128 C = (u128)m * Q[0] + lo;
    A = (u128)a->v[1] * bi + t1 + (uint64_t)(A >> 64);
    C = (u128)m * Q[1] + (uint64_t)A + (uint64_t)(C >> 64);
    t0 = (uint64_t)C;
    A = (u128)a->v[2] * bi + t2 + (uint64_t)(A >> 64);
    C = (u128)m * Q[2] + (uint64_t)A + (uint64_t)(C >> 64);
    t1 = (uint64_t)C;
    A = (u128)a->v[3] * bi + t3 + (uint64_t)(A >> 64);
    C = (u128)m * Q[3] + (uint64_t)A + (uint64_t)(C >> 64);
    t2 = (uint64_t)C;
    t3 = (uint64_t)(C >> 64) + (uint64_t)(A >> 64);
  }
  r->v[0] = t0; r->v[1] = t1; r->v[2] = t2; r->v[3] = t3;
  fq_reduce_once(r->v);
}

static inline void fq_sqr(fq *r, const fq *a) { fq_mul(r, a, a); }
static inline void fq_dbl(fq *r, const fq *a) { fq_add(r, a, a); }

static void fq_inv(fq *r, const fq *a) {
  fq acc = FQ_ONE, base = *a;
  for (int i = 0; i < 4; i++) {
    uint64_t e = EXP_QM2[i];
    for (int j = 0; j < 64; j++) {
      if (e & 1) fq_mul(&acc, &acc, &base);
      fq_sqr(&base, &base);
      e >>= 1;
    }
  }
  *r = acc;
}

/* Fq2 = Fq[u]/(u^2 + 1), the field of G2's coordinates: c0 + c1·u. */
typedef struct { fq c0, c1; } fq2;
static const fq2 FQ2_ONE = {{{0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL, 0x0e0a77c19a07df2fULL}}, {{0, 0, 0, 0}}};

static inline int fq2_is_zero(const fq2 *a) { return fq_is_zero(&a->c0) && fq_is_zero(&a->c1); }
static inline void fq2_add(fq2 *r, const fq2 *a, const fq2 *b) { fq_add(&r->c0, &a->c0, &b->c0); fq_add(&r->c1, &a->c1, &b->c1); }
static inline void fq2_sub(fq2 *r, const fq2 *a, const fq2 *b) { fq_sub(&r->c0, &a->c0, &b->c0); fq_sub(&r->c1, &a->c1, &b->c1); }
static inline void fq2_dbl(fq2 *r, const fq2 *a) { fq2_add(r, a, a); }
/* (a0 + a1 u)(b0 + b1 u) = a0 b0 − a1 b1 + ((a0 + a1)(b0 + b1) − a0 b0 − a1 b1) u (Karatsuba) */
static inline void fq2_mul(fq2 *r, const fq2 *a, const fq2 *b) {
  fq t0, t1, s0, s1, m;
  fq_mul(&t0, &a->c0, &b->c0);
  fq_mul(&t1, &a->c1, &b->c1);
  fq_add(&s0, &a->c0, &a->c1);
  fq_add(&s1, &b->c0, &b->c1);
  fq_mul(&m, &s0, &s1);
  fq_sub(&m, &m, &t0);
  fq_sub(&r->c1, &m, &t1);
  fq_sub(&r->c0, &t0, &t1);
}
static inline void fq2_sqr(fq2 *r, const fq2 *a) { fq2_mul(r, a, a); }
/* 1/(a0 + a1 u) = (a0 − a1 u) / (a0^2 + a1^2) */
static void fq2_inv(fq2 *r, const fq2 *a) {
  fq n, t, ni;
  fq_sqr(&n, &a->c0);
  fq_sqr(&t, &a->c1);
  fq_add(&n, &n, &t);
  fq_inv(&ni, &n);
  fq_mul(&r->c0, &a->c0, &ni);
  fq zero = {{0, 0, 0, 0}};
  fq_mul(&t, &a->c1, &ni);
  fq_sub(&r->c1, &zero, &t);
}

/*
 * Jacobian points (X, Y, Z), x = X/Z^2, y = Y/Z^3, Z = 0 infinity, on y^2 = x^3 + b (a = 0 on
 * both G1 and the twist G2), and Pippenger over them: one copy per coordinate field F, made
 * by DEFINE_MSM(prefix, F, ...). Formulas: dbl-2009-l, madd-2007-bl, add-2007-bl (EFD).
 */
#define DEFINE_MSM(G, F, F_ONE, f_is_zero, f_add, f_sub, f_dbl, f_mul, f_sqr, f_inv)                  \
  typedef struct { F x, y, z; } G##_jac;                                                             \
  typedef struct { F x, y; } G##_aff;                                                                \
  static inline int G##_is_inf(const G##_jac *p) { return f_is_zero(&p->z); }                        \
  static void G##_double(G##_jac *r, const G##_jac *p) {                                             \
    if (G##_is_inf(p)) { *r = *p; return; }                                                          \
    F A, B, C, D, E, Fs, t, x3, y3, z3;                                                              \
    f_sqr(&A, &p->x); f_sqr(&B, &p->y); f_sqr(&C, &B);                                               \
    f_add(&t, &p->x, &B); f_sqr(&t, &t); f_sub(&t, &t, &A); f_sub(&t, &t, &C); f_dbl(&D, &t);        \
    f_dbl(&E, &A); f_add(&E, &E, &A); f_sqr(&Fs, &E);                                                \
    f_mul(&z3, &p->y, &p->z); f_dbl(&z3, &z3);                                                       \
    f_dbl(&t, &D); f_sub(&x3, &Fs, &t);                                                              \
    f_sub(&t, &D, &x3); f_mul(&y3, &E, &t);                                                          \
    f_dbl(&C, &C); f_dbl(&C, &C); f_dbl(&C, &C); f_sub(&y3, &y3, &C);                                \
    r->x = x3; r->y = y3; r->z = z3;                                                                 \
  }                                                                                                  \
  static void G##_add_affine(G##_jac *r, const G##_jac *p, const G##_aff *q) {                       \
    if (G##_is_inf(p)) { r->x = q->x; r->y = q->y; r->z = F_ONE; return; }                           \
    F z1z1, u2, s2, h, hh, i, j, rr, v, t, x3, y3, z3;                                               \
    f_sqr(&z1z1, &p->z); f_mul(&u2, &q->x, &z1z1);                                                   \
    f_mul(&s2, &q->y, &p->z); f_mul(&s2, &s2, &z1z1);                                                \
    f_sub(&h, &u2, &p->x); f_sub(&rr, &s2, &p->y);                                                   \
    if (f_is_zero(&h)) {                                                                             \
      if (f_is_zero(&rr)) { G##_jac qj = {q->x, q->y, F_ONE}; G##_double(r, &qj); }                  \
      else memset(r, 0, sizeof *r);                                                                  \
      return;                                                                                        \
    }                                                                                                \
    f_dbl(&rr, &rr); f_sqr(&hh, &h); f_dbl(&i, &hh); f_dbl(&i, &i);                                  \
    f_mul(&j, &h, &i); f_mul(&v, &p->x, &i);                                                         \
    f_sqr(&x3, &rr); f_sub(&x3, &x3, &j); f_dbl(&t, &v); f_sub(&x3, &x3, &t);                        \
    f_sub(&t, &v, &x3); f_mul(&y3, &rr, &t); f_mul(&t, &p->y, &j); f_dbl(&t, &t); f_sub(&y3, &y3, &t);\
    f_add(&z3, &p->z, &h); f_sqr(&z3, &z3); f_sub(&z3, &z3, &z1z1); f_sub(&z3, &z3, &hh);            \
    r->x = x3; r->y = y3; r->z = z3;                                                                 \
  }                                                                                                  \
  static void G##_add(G##_jac *r, const G##_jac *p, const G##_jac *q) {                              \
    if (G##_is_inf(p)) { *r = *q; return; }                                                          \
    if (G##_is_inf(q)) { *r = *p; return; }                                                          \
    F z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t, x3, y3, z3;                                     \
    f_sqr(&z1z1, &p->z); f_sqr(&z2z2, &q->z);                                                        \
    f_mul(&u1, &p->x, &z2z2); f_mul(&u2, &q->x, &z1z1);                                              \
    f_mul(&s1, &p->y, &q->z); f_mul(&s1, &s1, &z2z2);                                                \
    f_mul(&s2, &q->y, &p->z); f_mul(&s2, &s2, &z1z1);                                                \
    f_sub(&h, &u2, &u1); f_sub(&rr, &s2, &s1);                                                       \
    if (f_is_zero(&h)) {                                                                             \
      if (f_is_zero(&rr)) G##_double(r, p);                                                          \
      else memset(r, 0, sizeof *r);                                                                  \
      return;                                                                                        \
    }                                                                                                \
    f_dbl(&rr, &rr); f_dbl(&i, &h); f_sqr(&i, &i); f_mul(&j, &h, &i); f_mul(&v, &u1, &i);            \
    f_sqr(&x3, &rr); f_sub(&x3, &x3, &j); f_dbl(&t, &v); f_sub(&x3, &x3, &t);                        \
    f_sub(&t, &v, &x3); f_mul(&y3, &rr, &t); f_mul(&t, &s1, &j); f_dbl(&t, &t); f_sub(&y3, &y3, &t); \
    f_add(&z3, &p->z, &q->z); f_sqr(&z3, &z3); f_sub(&z3, &z3, &z1z1); f_sub(&z3, &z3, &z2z2);       \
    f_mul(&z3, &z3, &h);                                                                             \
    r->x = x3; r->y = y3; r->z = z3;                                                                 \
  }                                                                                                  \
  /* One Pippenger window: Σ digit_i · base_i for the c-bit digits at `bit`. */                      \
  static void G##_window(G##_jac *out, G##_jac *bucket, const uint8_t *bases, const uint8_t *scalars, \
                         size_t n, int bit, int c) {                                                 \
    const size_t buckets = ((size_t)1 << c) - 1;                                                     \
    const int width = bit + c > 256 ? 256 - bit : c;                                                 \
    memset(bucket, 0, buckets * sizeof(G##_jac));                                                    \
    for (size_t i = 0; i < n; i++) {                                                                 \
      uint32_t d = scalar_digit(scalars + i * 32, bit, width);                                       \
      if (!d) continue;                                                                              \
      G##_aff base;                                                                                  \
      memcpy(&base, bases + i * sizeof(G##_aff), sizeof(G##_aff));                                   \
      if (f_is_zero(&base.x) && f_is_zero(&base.y)) continue;                                        \
      G##_add_affine(&bucket[d - 1], &bucket[d - 1], &base);                                         \
    }                                                                                                \
    G##_jac running, sum;                                                                            \
    memset(&running, 0, sizeof running);                                                             \
    memset(&sum, 0, sizeof sum);                                                                     \
    for (size_t k = buckets; k-- > 0;) {                                                             \
      G##_add(&running, &running, &bucket[k]);                                                       \
      G##_add(&sum, &sum, &running);                                                                 \
    }                                                                                                \
    *out = sum;                                                                                      \
  }                                                                                                  \
  /* Σ window_w · 2^(c·w), to affine bytes (all zero for infinity). */                               \
  static void G##_combine(uint8_t *out, const G##_jac *windows, int count, int c) {                  \
    G##_jac acc = windows[count - 1];                                                                \
    for (int w = count - 2; w >= 0; w--) {                                                           \
      for (int k = 0; k < c; k++) G##_double(&acc, &acc);                                            \
      G##_add(&acc, &acc, &windows[w]);                                                              \
    }                                                                                                \
    memset(out, 0, sizeof(G##_aff));                                                                 \
    if (G##_is_inf(&acc)) return;                                                                    \
    F zi, zi2, zi3;                                                                                  \
    G##_aff a;                                                                                       \
    f_inv(&zi, &acc.z); f_sqr(&zi2, &zi); f_mul(&zi3, &zi2, &zi);                                    \
    f_mul(&a.x, &acc.x, &zi2); f_mul(&a.y, &acc.y, &zi3);                                            \
    memcpy(out, &a, sizeof a);                                                                       \
  }

static inline uint32_t scalar_digit(const uint8_t *scalar, int bit, int c) {
  /* bits [bit, bit + c) of a 256-bit little-endian number, c <= 24 */
  uint32_t byte = (uint32_t)bit >> 3, shift = (uint32_t)bit & 7, v = 0;
  for (uint32_t k = 0; k < 4 && byte + k < 32; k++) v |= (uint32_t)scalar[byte + k] << (8 * k);
  return (v >> shift) & ((1u << c) - 1);
}

DEFINE_MSM(g1, fq, FQ_ONE, fq_is_zero, fq_add, fq_sub, fq_dbl, fq_mul, fq_sqr, fq_inv)
DEFINE_MSM(g2, fq2, FQ2_ONE, fq2_is_zero, fq2_add, fq2_sub, fq2_dbl, fq2_mul, fq2_sqr, fq2_inv)

typedef struct {
  int g2; /* 0: G1 (64-byte bases), 1: G2 (128-byte bases) */
  const uint8_t *bases;
  const uint8_t *scalars;
  size_t n;
  int c;
  int windows;
  int threads;
  void *window_sums; /* [windows] g1_jac or g2_jac */
  uint8_t out[128];
  int failed;
} msm_job;

typedef struct { msm_job *job; int first; } msm_worker;

static void *msm_worker_main(void *arg) {
  msm_worker *w = arg;
  msm_job *job = w->job;
  const size_t buckets = ((size_t)1 << job->c) - 1;
  void *bucket = malloc(buckets * (job->g2 ? sizeof(g2_jac) : sizeof(g1_jac)));
  if (!bucket) { job->failed = 1; return NULL; }
  for (int win = w->first; win < job->windows; win += job->threads) {
    if (job->g2) g2_window((g2_jac *)job->window_sums + win, bucket, job->bases, job->scalars, job->n, win * job->c, job->c);
    else g1_window((g1_jac *)job->window_sums + win, bucket, job->bases, job->scalars, job->n, win * job->c, job->c);
  }
  free(bucket);
  return NULL;
}

static void msm_run(msm_job *job) {
  pthread_t tids[8];
  msm_worker workers[8];
  int started = 0;
  for (int t = 1; t < job->threads; t++) {
    workers[t] = (msm_worker){job, t};
    if (pthread_create(&tids[t], NULL, msm_worker_main, &workers[t]) != 0) break;
    started = t;
  }
  /* fewer threads than asked: this thread also takes the windows of the missing ones */
  for (int t = started + 1; t < job->threads; t++) {
    workers[t] = (msm_worker){job, t};
    msm_worker_main(&workers[t]);
  }
  workers[0] = (msm_worker){job, 0};
  msm_worker_main(&workers[0]);
  for (int t = 1; t <= started; t++) pthread_join(tids[t], NULL);
  if (job->failed) return;
  if (job->g2) g2_combine(job->out, job->window_sums, job->windows, job->c);
  else g1_combine(job->out, job->window_sums, job->windows, job->c);
}

typedef struct {
  msm_job job;
  napi_async_work work;
  napi_deferred deferred;
  napi_ref bases_ref, scalars_ref;
} msm_async;

static void msm_execute(napi_env env, void *data) {
  (void)env;
  msm_run(&((msm_async *)data)->job);
}

static void msm_complete(napi_env env, napi_status status, void *data) {
  msm_async *a = data;
  const size_t out_len = a->job.g2 ? 128 : 64;
  napi_value result, error, message;
  void *bytes;
  napi_value buffer;
  if (status == napi_ok && !a->job.failed && napi_create_arraybuffer(env, out_len, &bytes, &buffer) == napi_ok &&
      napi_create_typedarray(env, napi_uint8_array, out_len, buffer, 0, &result) == napi_ok) {
    memcpy(bytes, a->job.out, out_len);
    napi_resolve_deferred(env, a->deferred, result);
  } else {
    napi_create_string_utf8(env, "msmAffine: out of memory or cancelled", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, a->deferred, error);
  }
  napi_delete_reference(env, a->bases_ref);
  napi_delete_reference(env, a->scalars_ref);
  napi_delete_async_work(env, a->work);
  free(a->job.window_sums);
  free(a);
}

static napi_value msm_affine(napi_env env, napi_callback_info info, int g2) {
  const size_t base_size = g2 ? 128 : 64;
  size_t argc = 3;
  napi_value argv[3], promise, name;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *bases, *scalars;
  size_t bases_len, scalars_len;
  uint32_t threads = 1;
  if (argc < 2 || !typed_bytes(env, argv[0], &bases, &bases_len) || !typed_bytes(env, argv[1], &scalars, &scalars_len)) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "msmAffine: expected (bases: Uint8Array, scalars: Uint8Array, threads?: number)");
    return NULL;
  }
  if (argc >= 3) napi_get_value_uint32(env, argv[2], &threads);
  if (threads < 1) threads = 1;
  if (threads > 8) threads = 8;
  if (bases_len % base_size != 0 || scalars_len != bases_len / base_size * 32) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "msmAffine: 64 (G1) or 128 (G2) bytes per base, 32 per scalar, as many scalars as bases");
    return NULL;
  }
  msm_async *a = calloc(1, sizeof *a);
  if (!a) {
    napi_throw_error(env, "ERR_MEMORY", "msmAffine: out of memory");
    return NULL;
  }
  size_t n = bases_len / base_size;
  int log = 0;
  while (((size_t)1 << (log + 1)) <= n) log++;
  int c = log - 3;
  if (c < 4) c = 4;
  if (c > 16) c = 16;
  a->job = (msm_job){g2, bases, scalars, n, c, (256 + c - 1) / c, (int)threads, NULL, {0}, 0};
  a->job.window_sums = calloc((size_t)a->job.windows, g2 ? sizeof(g2_jac) : sizeof(g1_jac));
  if (!a->job.window_sums) {
    free(a);
    napi_throw_error(env, "ERR_MEMORY", "msmAffine: out of memory");
    return NULL;
  }
  /* SAFETY: the typed arrays stay referenced (so not collected) until the work completes; the
   * caller must not write them meanwhile. */
  NAPI_CALL(env, napi_create_reference(env, argv[0], 1, &a->bases_ref));
  NAPI_CALL(env, napi_create_reference(env, argv[1], 1, &a->scalars_ref));
  NAPI_CALL(env, napi_create_promise(env, &a->deferred, &promise));
  NAPI_CALL(env, napi_create_string_utf8(env, "msmAffine", NAPI_AUTO_LENGTH, &name));
  NAPI_CALL(env, napi_create_async_work(env, NULL, name, msm_execute, msm_complete, a, &a->work));
  NAPI_CALL(env, napi_queue_async_work(env, a->work));
  return promise;
}

static napi_value js_g1_msm_affine(napi_env env, napi_callback_info info) { return msm_affine(env, info, 0); }
static napi_value js_g2_msm_affine(napi_env env, napi_callback_info info) { return msm_affine(env, info, 1); }

static napi_value module_init(napi_env env, napi_value exports) {
  /* Per-env (per JS thread) state for poseidonMany's helper thread; the
   * cleanup hook stops the helper when the env (main or a Worker) exits. */
  pm_env *st = calloc(1, sizeof *st);
  if (!st) return NULL;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  st->threads = cpus >= 2 ? 2 : 1;
  st->spin_ns = (uint64_t)PM_DEFAULT_SPIN_US * 1000;
  if (napi_set_instance_data(env, st, NULL, NULL) != napi_ok ||
      napi_add_env_cleanup_hook(env, pm_env_cleanup, st) != napi_ok) {
    free(st);
    return NULL;
  }
  napi_property_descriptor props[] = {
      {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"threadStats", NULL, js_thread_stats, NULL, NULL, NULL, napi_default, NULL},
      {"init", NULL, js_init, NULL, NULL, NULL, napi_default, NULL},
      {"poseidon", NULL, js_poseidon, NULL, NULL, NULL, napi_default, NULL},
      {"poseidonMany", NULL, js_poseidon_many, NULL, NULL, NULL, napi_default, NULL},
      {"unpackPoint", NULL, js_unpack_point, NULL, NULL, NULL, napi_default, NULL},
      {"verify", NULL, js_verify, NULL, NULL, NULL, napi_default, NULL},
      {"verifyPacked", NULL, js_verify_packed, NULL, NULL, NULL, napi_default, NULL},
      {"mulBase8", NULL, js_mul_base8, NULL, NULL, NULL, napi_default, NULL},
      {"qapEvaluate", NULL, js_qap_evaluate, NULL, NULL, NULL, napi_default, NULL},
      {"g1MsmAffine", NULL, js_g1_msm_affine, NULL, NULL, NULL, napi_default, NULL},
      {"g2MsmAffine", NULL, js_g2_msm_affine, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE_INIT() { return module_init(env, exports); }
