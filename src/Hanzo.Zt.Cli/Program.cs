using Hanzo.Zt.Cli;

return await ZtCommandLine.RunAsync(args, Console.Out, Console.Error);
