using System.CommandLine;
using PartnerExchange.Data;
using PartnerExchange.Domain;

namespace PartnerExchange.Server;

/// <summary>
/// <c>accounts add|disable|reset</c>: the server command that manages people's local accounts in the product database
/// configured as for the server (settings, environment variables and <c>--Section:Key=value</c> arguments), without
/// starting it. <c>add</c> and <c>reset</c> print a generated password once; it is stored only as Identity's hash.
/// Each change is recorded in the audit trail with the actor <c>accounts-command</c>.
/// </summary>
internal static class AccountsCommand
{
    public const string Name = "accounts";
    public const string AuditActor = "accounts-command";

    /// <summary>Runs the command with the arguments after <c>accounts</c>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var user = new Option<string>("--user") { Description = "The person's user name: lower-case letters, digits, '.', '_' and '-'.", Required = true };
        var role = new Option<string>("--role") { Description = "The person's role.", Required = true };
        role.AcceptOnlyFromAmong([.. ClientRoles.People]);
        var partner = new Option<string?>("--partner") { Description = "The partner an SI's staff member works for (role si only)." };

        var add = new Command("add", "Adds a person's account and prints its first password once.") { user, role, partner };
        var disable = new Command("disable", "Disables an account for good: no sign-in, no new token.") { user };
        var reset = new Command("reset", "Gives an account a new password, printed once, and lifts a temporary lockout.") { user };
        var root = new RootCommand("Manages people's local accounts in the Partner Exchange database.") { add, disable, reset };
        foreach (var command in new[] { root, add, disable, reset })
        {
            // Unmatched tokens are the server's own settings (--ConnectionStrings:PartnerExchange=..., --environment=...).
            command.TreatUnmatchedTokensAsErrors = false;
        }

        add.SetAction((parse, ct) => ChangeAsync(parse, output, error, async people =>
        {
            var userName = parse.GetValue(user)!;
            var password = await people.AddAsync(userName, parse.GetValue(role)!, parse.GetValue(partner));
            await output.WriteLineAsync($"Added {userName} ({parse.GetValue(role)}). Password, shown this once: {password}");
            return $"account added: {userName} as {parse.GetValue(role)}";
        }, parse.GetValue(user)!, ct));
        disable.SetAction((parse, ct) => ChangeAsync(parse, output, error, async people =>
        {
            await people.DisableAsync(parse.GetValue(user)!);
            await output.WriteLineAsync($"Disabled {parse.GetValue(user)}: it can no longer sign in or get a token; tokens it holds expire within their lifetime.");
            return "account disabled";
        }, parse.GetValue(user)!, ct));
        reset.SetAction((parse, ct) => ChangeAsync(parse, output, error, async people =>
        {
            var password = await people.ResetPasswordAsync(parse.GetValue(user)!);
            await output.WriteLineAsync($"New password of {parse.GetValue(user)}, shown this once: {password}");
            return "password reset";
        }, parse.GetValue(user)!, ct));

        var result = root.Parse(args);
        return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static async Task<int> ChangeAsync(
        ParseResult parse, TextWriter output, TextWriter error, Func<PersonAccountManager, Task<string>> change, string userName, CancellationToken cancellationToken)
    {
        try
        {
            var app = ServerProgram.Build([.. parse.UnmatchedTokens]);
            await using (app)
            {
                await DatabaseInitializer.MigrateAsync(app.Services, cancellationToken);
                await using var scope = app.Services.CreateAsyncScope();
                var people = scope.ServiceProvider.GetRequiredService<PersonAccountManager>();
                var summary = await change(people);
                var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
                db.AuditEntries.Add(new Data.Entities.AuditEntry
                {
                    Actor = AuditActor,
                    Action = $"{Name} {parse.CommandResult.Command.Name}",
                    ResourceName = $"people/{userName}",
                    Summary = summary,
                    OccurredAt = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow(),
                });
                await db.SaveChangesAsync(cancellationToken);
            }

            return 0;
        }
        catch (PersonAccountException ex)
        {
            await error.WriteLineAsync($"accounts: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
        {
            await error.WriteLineAsync($"accounts: {ex.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }
}
