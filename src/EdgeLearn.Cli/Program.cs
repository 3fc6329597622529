using EdgeLearn.Cli;
using EdgeLearn.Cli.Infrastructure;

using var interruption = Interruption.Listen();
return EdgeLearnApp.Create().Run(args, interruption);
