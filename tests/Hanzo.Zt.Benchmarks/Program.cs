using BenchmarkDotNet.Running;

// ./build.sh bench [BenchmarkDotNet arguments], e.g. --filter '*Read*'. With no arguments every benchmark runs;
// the Ratio column compares Cap'n Proto with the Protocol Buffers baseline on the same data.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
