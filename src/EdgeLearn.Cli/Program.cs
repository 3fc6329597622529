using EdgeLearn.Cli;

return EdgeLearnApp.Create().Run(args);
