import { constants } from "node:os";

/** The signals that end a run: Ctrl-C, `kill`, and the terminal going away. */
export const RUN_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type RunSignal = (typeof RUN_SIGNALS)[number];

/** The exit code of a run ended by `signal`, as a shell reports a process it killed: 128 + its number (130, 143, 129). */
export function signalExitCode(signal: RunSignal): number {
  return 128 + constants.signals[signal];
}

/** What {@link RunSignals} does on a signal, by the state of the run. */
export interface SignalActions {
  /** The first signal while steps run: stop them (the run then ends cancelled). */
  first(signal: RunSignal): void;
  /** Another signal before the status is written: record the run cancelled and quit now. */
  again(signal: RunSignal, exitCode: number): void;
}

/**
 * The run's handlers of SIGINT, SIGTERM and SIGHUP, installed from the start of the run until
 * its cleanup is over, so that no signal ever takes the default action (dying without a
 * word) while the run is recorded `running` or `success`. Whatever the moment, the exit code
 * and the recorded status agree:
 * - while steps run, the first signal cancels the run (exit 128 + signal), a second one
 *   records it cancelled and quits at once;
 * - after the last step, before the status is written: the run is recorded `cancelled`
 *   ({@link received} is checked then);
 * - once the status is written ({@link settle}), a signal ends the cleanup at once with the
 *   exit code of that status: the outcome is already on record and no longer changes.
 */
export class RunSignals {
  /** The first signal received, if any. */
  received: RunSignal | undefined;
  private settledCode: number | undefined;
  private readonly handler = (signal: NodeJS.Signals): void => this.on(signal as RunSignal);

  constructor(private readonly actions: SignalActions) {
    for (const signal of RUN_SIGNALS) process.on(signal, this.handler);
  }

  /** The status is written: a signal from now on exits with `exitCode`. */
  settle(exitCode: number): void {
    this.settledCode = exitCode;
  }

  /** The exit code of a run that was not interrupted by a signal, or the signal's. */
  exitCode(unsignalled: number): number {
    return this.received ? signalExitCode(this.received) : unsignalled;
  }

  /** Gives the signals back to their default action. */
  dispose(): void {
    for (const signal of RUN_SIGNALS) process.off(signal, this.handler);
  }

  private on(signal: RunSignal): void {
    if (this.settledCode !== undefined) process.exit(this.settledCode);
    if (this.received) return this.actions.again(this.received, signalExitCode(this.received));
    this.received = signal;
    this.actions.first(signal);
  }
}
