using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

var load = args.Length > 0 ? ScenarioJson.Load(args[0]) : ScenarioLoadResult.Success(DefaultScenario.Create()); // load and validate
if (!load.IsValid) { Console.Error.WriteLine(load.Errors[0].Message); return 2; }                               // same words as the CLI
var result = Planner.Plan(load.Scenario);                                                                        // joint scheme
if (result.HasPlan) Console.WriteLine($"M = {result.Plan.PretrainRounds}, N = {result.Plan.FinetuneRounds}, bound {result.Plan.Predicted.Bound:G6}, gap {result.Plan.Predicted.Gap:P2}");
else Console.Error.WriteLine(result.Infeasibility?.Message);
return result.HasPlan ? 0 : 3;
