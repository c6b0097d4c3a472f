/*
 * rollup_crypto: circomlib-compatible Poseidon, BabyJubJub and EdDSA-Poseidon
 * verification over the BN254 scalar field, as a Node-API addon.
 *
 * Field elements are 4x64-bit little-endian limbs in Montgomery form
 * (R = 2^256), always kept fully reduced in [0, r). Only Node-API is used so
 * one build loads in every Node release that supports NAPI_VERSION 8.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
 * portable path is not forced (ROLLUP_CRYPTO_PORTABLE=1). */
static int use_adx = 0;

/*
 * The x86-64 paths below use mulx with two independent carry chains (adcx on
 * CF, adox on OF). Accumulators live in r8..r13 and the Montgomery word
 * rotation is done by renaming registers between steps instead of moving
 * them; constants are RIP-relative memory operands, and the inputs are
 * declared as "m" operands so the compiler knows what memory is read
 * without a blanket "memory" clobber. The node-gyp build keeps rbp as frame
 * pointer, so with rax, rdx, r8..r15 clobbered, rbx/rcx/rsi/rdi remain for
 * the compiler's pointer operands.
 */
#define ASM_P_OPERANDS \
  [p0] "m"(P[0]), [p1] "m"(P[1]), [p2] "m"(P[2]), [p3] "m"(P[3]), [pinv] "m"(PINV)

/* Montgomery reduction step: adds m * r (m = T0 * -r^-1) to T0..T4 so that
 * T0 becomes 0 (the caller then drops it by renaming). Leaves CF = OF = 0. */
#define REDC_STEP(t0, t1, t2, t3, t4) \
  "movq %%" t0 ", %%rdx\n\t" \
  "imulq %[pinv], %%rdx\n\t" \
  "xorl %%eax, %%eax\n\t" \
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
  "adoxq %%rax, %%" t4 "\n\t"

/* Conditionally subtracts r from t0..t3 (uses rax, rdx, r14, r15). */
#define COND_SUB_P(t0, t1, t2, t3) \
  "movq %%" t0 ", %%rax\n\t" \
  "subq %[p0], %%rax\n\t" \
  "movq %%" t1 ", %%rdx\n\t" \
  "sbbq %[p1], %%rdx\n\t" \
  "movq %%" t2 ", %%r14\n\t" \
  "sbbq %[p2], %%r14\n\t" \
  "movq %%" t3 ", %%r15\n\t" \
  "sbbq %[p3], %%r15\n\t" \
  "cmovncq %%rax, %%" t0 "\n\t" \
  "cmovncq %%rdx, %%" t1 "\n\t" \
  "cmovncq %%r14, %%" t2 "\n\t" \
  "cmovncq %%r15, %%" t3 "\n\t"

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
/* T1..T4 += a * rdx, where T4 is a fresh register (no extra carry word). */
#define MUL_ROW(t0, t1, t2, t3, t4) \
  "xorl %%eax, %%eax\n\t" \
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
  "adcxq %%rax, %%" t4 "\n\t" \
  "adoxq %%rax, %%" t4 "\n\t"
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
      COND_SUB_P("r12", "r8", "r9", "r10")
      STORE_FE("r12", "r8", "r9", "r10")
      : "=m"(*r)
      : [r] "r"(r->v), [a] "r"(a->v), [b] "r"(b->v), "m"(*a), "m"(*b), ASM_P_OPERANDS
      : "rax", "rdx", "r8", "r9", "r10", "r11", "r12", "r14", "r15", "cc");
#undef MUL_ROW
}

/*
 * Sum of n products with one Montgomery reduction per output, in CIOS order:
 * for each limb i, T += sum_j a[j] * b[j][i], then one REDC step. T needs six
 * words (it stays below (n + 1) r * 2^64 < 2^322); the word zeroed by a REDC
 * step becomes the next step's top word. The final T is the same as
 * fe_dot_portable's (sum + m r) / 2^256 < 2.8 r, so two subtractions follow.
 */
static inline void fe_dot_adx(fe *r, const fe *a, const fe *b, int n) {
/* T0..T5 += a[j] * b[j][limb] for j = 0..n-1 (byte index in %[j]). */
#define DOT_LIMB(off, t0, t1, t2, t3, t4, t5) \
  "xorl %k[j], %k[j]\n\t" \
  "1:\n\t" \
  "xorl %%eax, %%eax\n\t" \
  "movq " off "(%[b],%[j]), %%rdx\n\t" \
  "mulxq 0(%[a],%[j]), %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t0 "\n\t" \
  "adcxq %%r15, %%" t1 "\n\t" \
  "mulxq 8(%[a],%[j]), %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t1 "\n\t" \
  "adcxq %%r15, %%" t2 "\n\t" \
  "mulxq 16(%[a],%[j]), %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t2 "\n\t" \
  "adcxq %%r15, %%" t3 "\n\t" \
  "mulxq 24(%[a],%[j]), %%r14, %%r15\n\t" \
  "adoxq %%r14, %%" t3 "\n\t" \
  "adcxq %%r15, %%" t4 "\n\t" \
  "adoxq %%rax, %%" t4 "\n\t" \
  "adcxq %%rax, %%" t5 "\n\t" \
  "adoxq %%rax, %%" t5 "\n\t" \
  "addq $32, %[j]\n\t" \
  "cmpq %[end], %[j]\n\t" \
  "jne 1b\n\t" \
  REDC_STEP(t0, t1, t2, t3, t4) \
  "adcxq %%rax, %%" t5 "\n\t" \
  "adoxq %%rax, %%" t5 "\n\t"
  uint64_t j;
  __asm__(
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
      COND_SUB_P("r12", "r13", "r8", "r9")
      COND_SUB_P("r12", "r13", "r8", "r9")
      STORE_FE("r12", "r13", "r8", "r9")
      : "=m"(*r), [j] "=&r"(j)
      : [r] "r"(r->v), [a] "r"(a->v), [b] "r"(b->v), [end] "r"((uint64_t)n * 32),
        "m"(*(const fe(*)[POSEIDON_MAX_T])a), "m"(*(const fe(*)[POSEIDON_MAX_T])b), ASM_P_OPERANDS
      : "rax", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc");
#undef DOT_LIMB
}
#endif

static inline void fe_mul(fe *r, const fe *a, const fe *b) {
#ifdef HAVE_ADX_ASM
  if (use_adx) {
    fe_mul_adx(r, a, b);
    return;
  }
#endif
  fe_mul_portable(r, a, b);
}

static inline void fe_sqr(fe *r, const fe *a) { fe_mul(r, a, a); }

static inline void fe_dot(fe *r, const fe *a, const fe *b, int n) {
#ifdef HAVE_ADX_ASM
  if (use_adx) {
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
  fe *C; /* t * N_ROUNDS_F + nRoundsP round constants */
  fe *M; /* t x t, M[j * t + i] as in the JSON (M[j][i]) */
  fe *P; /* t x t pre-sparse matrix, same layout */
  fe *S; /* (2t - 1) * nRoundsP sparse-matrix entries */
} poseidon_params;

static poseidon_params POSEIDON[POSEIDON_MAX_T + 1];
static int initialized = 0;

static inline void pow5(fe *a) {
  fe a2, a4;
  fe_sqr(&a2, a);
  fe_sqr(&a4, &a2);
  fe_mul(a, a, &a4);
}

/* state <- state * mat, i.e. out[i] = sum_j mat[j][i] * state[j]. */
static inline void mix(fe *state, const fe *mat, int t) {
  fe out[POSEIDON_MAX_T];
  for (int i = 0; i < t; i++) {
    acc512 acc;
    acc_zero(&acc);
    for (int j = 0; j < t; j++) acc_muladd(&acc, &mat[j * t + i], &state[j]);
    acc_reduce(&out[i], &acc);
  }
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
    mix(state, pp->M, t);
  }
  for (int i = 0; i < t; i++) {
    pow5(&state[i]);
    fe_add(&state[i], &state[i], &C[(N_ROUNDS_F / 2) * t + i]);
  }
  mix(state, pp->P, t);

  for (int r = 0; r < nP; r++) {
    const fe *Sr = &S[(2 * t - 1) * r];
    pow5(&state[0]);
    fe_add(&state[0], &state[0], &C[(N_ROUNDS_F / 2 + 1) * t + r]);
    acc512 acc;
    acc_zero(&acc);
    for (int j = 0; j < t; j++) acc_muladd(&acc, &Sr[j], &state[j]);
    for (int k = 1; k < t; k++) {
      fe prod;
      fe_mul(&prod, &state[0], &Sr[t + k - 1]);
      fe_add(&state[k], &state[k], &prod);
    }
    acc_reduce(&state[0], &acc);
  }

  for (int r = 0; r < N_ROUNDS_F / 2 - 1; r++) {
    for (int i = 0; i < t; i++) {
      pow5(&state[i]);
      fe_add(&state[i], &state[i], &C[(N_ROUNDS_F / 2 + 1) * t + nP + r * t + i]);
    }
    mix(state, pp->M, t);
  }
  for (int i = 0; i < t; i++) pow5(&state[i]);
  /* Only state[0] of the final mix is the output. */
  acc512 acc;
  acc_zero(&acc);
  for (int j = 0; j < t; j++) acc_muladd(&acc, &pp->M[j * t], &state[j]);
  acc_reduce(out, &acc);
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
  if (!initialized) napi_throw_error(env, "ERR_NOT_INITIALIZED", "rollup_crypto: init() was not called");
  return initialized;
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

/* Hashes one JS array of bigints; returns NULL with a pending exception on error. */
static napi_value poseidon_array(napi_env env, napi_value arr) {
  uint32_t n;
  if (napi_get_array_length(env, arr, &n) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "poseidon: inputs must be an array");
    return NULL;
  }
  if (n < 1 || n > POSEIDON_MAX_T - 1) {
    napi_throw_range_error(env, "ERR_POSEIDON_ARITY", "poseidon: expected 1 to 8 inputs");
    return NULL;
  }
  fe in[POSEIDON_MAX_T - 1], out;
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    NAPI_CALL(env, napi_get_element(env, arr, i, &v));
    int rc = read_fe(env, v, &in[i]);
    if (rc != READ_OK) {
      throw_input_error(env, "poseidon", i, rc);
      return NULL;
    }
  }
  poseidon_mont(&out, in, (int)n);
  return make_bigint_fe(env, &out);
}

/* init(constants: Buffer): Poseidon constants for t = 2..9, each as C, M, P, S
 * in 32-byte little-endian canonical words. */
static napi_value js_init(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (initialized) return NULL;
  void *data;
  size_t len;
  if (argc < 1 || napi_get_buffer_info(env, argv[0], &data, &len) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "init: expected a Buffer of constants");
    return NULL;
  }
  size_t words = 0;
  for (int t = 2; t <= POSEIDON_MAX_T; t++) {
    int nP = N_ROUNDS_P[t - 2];
    words += (size_t)(t * N_ROUNDS_F + nP) + 2 * (size_t)(t * t) + (size_t)(2 * t - 1) * nP;
  }
  if (len != words * 32) {
    napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE", "init: constants buffer has the wrong size");
    return NULL;
  }
  fe *all = malloc(words * sizeof(fe));
  if (!all) {
    napi_throw_error(env, "ERR_MEMORY", "init: out of memory");
    return NULL;
  }
  const uint8_t *bytes = data;
  for (size_t i = 0; i < words; i++) {
    uint64_t l[4];
    limbs_from_le_bytes(l, bytes + 32 * i);
    if (limbs_geq(l, P)) {
      free(all);
      napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE", "init: constant is not a field element");
      return NULL;
    }
    fe_from_limbs(&all[i], l);
  }
  fe *cur = all;
  for (int t = 2; t <= POSEIDON_MAX_T; t++) {
    poseidon_params *pp = &POSEIDON[t];
    pp->t = t;
    pp->nRoundsP = N_ROUNDS_P[t - 2];
    pp->C = cur; cur += t * N_ROUNDS_F + pp->nRoundsP;
    pp->M = cur; cur += t * t;
    pp->P = cur; cur += t * t;
    pp->S = cur; cur += (2 * t - 1) * pp->nRoundsP;
  }

#ifdef HAVE_ADX_ASM
  __builtin_cpu_init();
  use_adx = __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("adx");
#endif
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
  if (!init_base8_table()) {
    napi_throw_error(env, "ERR_MEMORY", "init: out of memory");
    return NULL;
  }
  initialized = 1;
  return NULL;
}

/* poseidon(inputs: bigint[]): bigint */
static napi_value js_poseidon(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!require_init(env)) return NULL;
  return poseidon_array(env, argv[0]);
}

/* poseidonMany(batch: bigint[][]): bigint[] */
static napi_value js_poseidon_many(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  uint32_t n;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!require_init(env)) return NULL;
  if (napi_get_array_length(env, argv[0], &n) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "poseidonMany: expected an array of arrays");
    return NULL;
  }
  NAPI_CALL(env, napi_create_array_with_length(env, n, &out));
  for (uint32_t i = 0; i < n; i++) {
    napi_value item, h;
    NAPI_CALL(env, napi_get_element(env, argv[0], i, &item));
    h = poseidon_array(env, item);
    if (!h) return NULL;
    NAPI_CALL(env, napi_set_element(env, out, i, h));
  }
  return out;
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

static napi_value module_init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"init", NULL, js_init, NULL, NULL, NULL, napi_default, NULL},
      {"poseidon", NULL, js_poseidon, NULL, NULL, NULL, napi_default, NULL},
      {"poseidonMany", NULL, js_poseidon_many, NULL, NULL, NULL, napi_default, NULL},
      {"unpackPoint", NULL, js_unpack_point, NULL, NULL, NULL, napi_default, NULL},
      {"verify", NULL, js_verify, NULL, NULL, NULL, napi_default, NULL},
      {"verifyPacked", NULL, js_verify_packed, NULL, NULL, NULL, napi_default, NULL},
      {"mulBase8", NULL, js_mul_base8, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE_INIT() { return module_init(env, exports); }
