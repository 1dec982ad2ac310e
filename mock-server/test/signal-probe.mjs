// Loaded with `--import` into a command under test: when the command prints where it listens, says on
// stderr how many SIGTERM handlers it has by then. Whoever starts it may stop it as soon as that line is
// read, and a SIGTERM with no handler kills the process outright.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  if (String(chunk).includes("http://"))
    process.stderr.write(
      `[probe] SIGTERM handlers when it said where it listens: ${process.listenerCount("SIGTERM")}\n`,
    );
  return write(chunk, ...rest);
};
