using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PartnerExchange.Data.Entities;
using PartnerExchange.Domain;

namespace PartnerExchange.Data;

/// <summary>
/// ASP.NET Core Identity's user manager for people's accounts, with lockout read and written on the injected clock
/// (Identity's own manager reads the system clock), and the account chores of the server command and the seeds: add,
/// disable and reset. Account failures throw <see cref="PersonAccountException"/> with a message for the operator.
/// </summary>
public sealed class PersonAccountManager : UserManager<PersonAccount>
{
    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private const int GeneratedPasswordLength = 20;

    private readonly PartnerExchangeDbContext _db;
    private readonly TimeProvider _time;

    /// <summary>Creates the manager; the services are Identity's, registered by <c>AddIdentityCore</c>.</summary>
    public PersonAccountManager(
        IUserStore<PersonAccount> store,
        IOptions<IdentityOptions> optionsAccessor,
        IPasswordHasher<PersonAccount> passwordHasher,
        IEnumerable<IUserValidator<PersonAccount>> userValidators,
        IEnumerable<IPasswordValidator<PersonAccount>> passwordValidators,
        ILookupNormalizer keyNormalizer,
        IdentityErrorDescriber errors,
        IServiceProvider services,
        ILogger<UserManager<PersonAccount>> logger,
        PartnerExchangeDbContext db,
        TimeProvider time)
        : base(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
    {
        _db = db;
        _time = time;
    }

    /// <summary>Whether the account is locked out now, on the injected clock; a disabled account always is.</summary>
    public override async Task<bool> IsLockedOutAsync(PersonAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.DisabledAt is not null)
        {
            return true;
        }

        return await GetLockoutEnabledAsync(user) && await GetLockoutEndDateAsync(user) is { } end && end > _time.GetUtcNow();
    }

    /// <summary>
    /// Counts a failed sign-in; at <c>Lockout.MaxFailedAccessAttempts</c> the account is locked out for
    /// <c>Lockout.DefaultLockoutTimeSpan</c> from now on the injected clock, and the count starts again.
    /// </summary>
    public override async Task<IdentityResult> AccessFailedAsync(PersonAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        ThrowIfDisposed();
        if (Store is not IUserLockoutStore<PersonAccount> lockout)
        {
            throw new NotSupportedException("The account store does not support lockout.");
        }

        var count = await lockout.IncrementAccessFailedCountAsync(user, CancellationToken);
        if (count >= Options.Lockout.MaxFailedAccessAttempts)
        {
            await lockout.SetLockoutEndDateAsync(user, _time.GetUtcNow().Add(Options.Lockout.DefaultLockoutTimeSpan), CancellationToken);
            await lockout.ResetAccessFailedCountAsync(user, CancellationToken);
        }

        return await UpdateUserAsync(user);
    }

    /// <summary>
    /// The account <paramref name="userName"/> when it may sign in and get tokens: it exists, is not disabled and is not
    /// locked out. Otherwise <c>null</c>.
    /// </summary>
    public async Task<PersonAccount?> FindActiveAsync(string userName)
    {
        var account = await FindByNameAsync(userName);
        return account is not null && !await IsLockedOutAsync(account) ? account : null;
    }

    /// <summary>
    /// Adds an account in <paramref name="role"/> (one of <see cref="ClientRoles.People"/>; an SI needs
    /// <paramref name="partnerId"/>, a known partner). Without <paramref name="password"/> one is generated. Returns the
    /// password, which is stored only as Identity's hash.
    /// </summary>
    public async Task<string> AddAsync(string userName, string role, string? partnerId, string? password = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentException.ThrowIfNullOrEmpty(role);
        if (!ClientRoles.People.Contains(role))
        {
            throw new PersonAccountException($"'{role}' is no role of a person; one of: {string.Join(", ", ClientRoles.People)}.");
        }

        if (ClientRoles.RequiresPartner(role) != partnerId is not null)
        {
            throw new PersonAccountException(ClientRoles.RequiresPartner(role)
                ? $"Role '{role}' needs the partner the person works for (--partner)."
                : $"Role '{role}' takes no partner.");
        }

        if (partnerId is not null && !await _db.Partners.AnyAsync(p => p.Id == partnerId, CancellationToken))
        {
            throw new PersonAccountException($"There is no partner '{partnerId}'.");
        }

        password ??= GeneratePassword();
        var account = new PersonAccount
        {
            Id = Guid.NewGuid().ToString("N"),
            UserName = userName,
            Role = role,
            PartnerId = partnerId,
            CreatedAt = _time.GetUtcNow(),
            LockoutEnabled = true,
        };
        Check(await CreateAsync(account, password), userName);
        return password;
    }

    /// <summary>Disables <paramref name="userName"/>: locked out for good, its sign-in cookies and pending codes refused.</summary>
    public async Task DisableAsync(string userName)
    {
        var account = await FindByNameAsync(userName) ?? throw new PersonAccountException($"There is no account '{userName}'.");
        account.DisabledAt ??= _time.GetUtcNow();
        account.LockoutEnabled = true;
        account.LockoutEnd = DateTimeOffset.MaxValue;
        Check(await UpdateSecurityStampAsync(account), userName);
    }

    /// <summary>
    /// Gives <paramref name="userName"/> a new generated password and lifts a temporary lockout (not a disabling);
    /// returns the password, which is stored only as Identity's hash.
    /// </summary>
    public async Task<string> ResetPasswordAsync(string userName)
    {
        var account = await FindByNameAsync(userName) ?? throw new PersonAccountException($"There is no account '{userName}'.");
        var password = GeneratePassword();
        Check(await RemovePasswordAsync(account), userName);
        Check(await AddPasswordAsync(account, password), userName);
        if (account.DisabledAt is null)
        {
            Check(await SetLockoutEndDateAsync(account, null), userName);
        }

        Check(await ResetAccessFailedCountAsync(account), userName);
        return password;
    }

    /// <summary>A random password of 20 letters and digits (about 117 bits), without look-alike characters.</summary>
    public static string GeneratePassword() => RandomNumberGenerator.GetString(PasswordAlphabet, GeneratedPasswordLength);

    private static void Check(IdentityResult result, string userName)
    {
        if (!result.Succeeded)
        {
            throw new PersonAccountException($"Account '{userName}': {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}

/// <summary>An account chore that cannot be done, with a message for the operator.</summary>
public sealed class PersonAccountException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PersonAccountException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public PersonAccountException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public PersonAccountException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
