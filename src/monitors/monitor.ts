/** A monitor is sampled by its controller after every step; with none attached, nothing runs. */
export interface Monitor {
  sample(t: number): void;
  reset?(): void;
}
