using MpesaAspire.FaultSuite;

// The fault suite: one fault at a time under a steady callback load; see README.md, section Faults.
//   dotnet run -c Release --project bench/MpesaAspire.FaultSuite              the durations
//   dotnet run -c Release --project bench/MpesaAspire.FaultSuite -- --short   a few seconds per fault
//   ... -- --faults MySqlStopped,GatewayKilled --rate 10
var (options, faults) = FaultSuiteOptions.Parse(args);
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(60));
Console.WriteLine($"{options.CallbacksPerSecond} callbacks/s, {Environment.ProcessorCount} cores; starting the system");
await using var system = await FaultSystem.StartAsync(timeout.Token);
system.Progress = line => Console.WriteLine($"  {DateTime.Now:HH:mm:ss} {line}");

var reports = new List<FaultReport>();
foreach (var fault in faults)
{
    reports.Add(await system.RunAsync(fault, options, timeout.Token));
}

Console.WriteLine();
Console.WriteLine(FaultReport.TableHeader);
foreach (var report in reports)
{
    Console.WriteLine(report.TableRow());
}

return reports.Any(r => r.Lost > 0 || r.DuplicateReceipts > 0) ? 1 : 0;
