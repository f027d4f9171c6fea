/*
 * bench/event_kernels.ts in C: the same shapes, random stream, delivery and clipped update, for a
 * native reference point (not part of the package; needs a C compiler).
 *
 *   gcc -O3 -march=native -o /tmp/arrivals bench/native/arrivals.c && /tmp/arrivals [groups] [steps]
 *
 * The printed checksums equal those of the TypeScript loops on the same inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { nPost = 256, nPre = 832, L = 4, N = nPost * nPre, G = nPre * L };
static float kt[N], kt0[N];
static int32_t gs[G + 1], gp[N], act[G], fillv[G];
static double drive[nPost], uInc[2 * nPost], uHi[2 * nPost];
static uint8_t sPost[nPost], lat[N];
static uint32_t state = 1;

static double rnd(void) {
  state = state * 1103515245u + 12345u;
  return state / 4294967296.0;
}

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv) {
  int na = argc > 1 ? atoi(argv[1]) : 34, steps = argc > 2 ? atoi(argv[2]) : 20000;
  for (int k = 0; k < N; k++) lat[k] = (uint8_t)(rnd() * L);
  for (int k = 0; k < N; k++) gs[(k % nPre) * L + lat[k] + 1]++;
  for (int g = 0; g < G; g++) gs[g + 1] += gs[g];
  memcpy(fillv, gs, sizeof(int32_t) * G);
  for (int k = 0; k < N; k++) gp[fillv[(k % nPre) * L + lat[k]]++] = k / nPre;
  for (int k = 0; k < N; k++) kt[k] = rnd() < 0.4 ? (float)(rnd() * 10) : 0;
  for (int o = 0; o < nPost; o++) {
    uInc[2 * o] = -1e-5 * (1 + rnd());
    uHi[2 * o] = 50;
  }
  memcpy(kt0, kt, sizeof kt);
  for (int r = 0; r < 3; r++) {
    memcpy(kt, kt0, sizeof kt);
    memset(drive, 0, sizeof drive);
    state = 7;
    long arrivals = 0;
    double t0 = now_ns();
    for (int step = 0; step < steps; step++) {
      for (int c = 0; c < na; c++) act[c] = (int)(rnd() * G);
      for (int c = 0; c < na; c++) {
        int g = act[c], row = (g / L) * nPost;
        for (int s = gs[g]; s < gs[g + 1]; s++) drive[gp[s]] += kt[row + gp[s]];
      }
      for (int c = 0; c < na; c++) {
        int g = act[c], row = (g / L) * nPost;
        for (int s = gs[g]; s < gs[g + 1]; s++) {
          int o = gp[s];
          if (sPost[o]) continue;
          double v = (double)kt[row + o] + uInc[2 * o];
          v = v < 0 ? 0 : v;
          kt[row + o] = (float)(v > uHi[2 * o] ? uHi[2 * o] : v);
        }
      }
      for (int c = 0; c < na; c++) arrivals += gs[act[c] + 1] - gs[act[c]];
    }
    double ns = (now_ns() - t0) / arrivals, ks = 0, ds = 0;
    for (int k = 0; k < N; k++) ks += kt[k];
    for (int o = 0; o < nPost; o++) ds += drive[o];
    printf("round %d: C %.2f ns per arrival (delivery + update; checksums %.9g %.9g)\n", r + 1, ns, ks, ds);
  }
  return 0;
}
