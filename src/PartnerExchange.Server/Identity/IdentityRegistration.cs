using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using PartnerExchange.Data;
using PartnerExchange.Data.Entities;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// Wires identity into the host: OpenIddict as the token server (client credentials for machines; authorization code
/// with PKCE and the device grant for people, whose accounts ASP.NET Core Identity keeps; signed JWT access tokens of
/// type <c>at+jwt</c>, discovery and JWKS), the standard JWT bearer handler validating them, and an authorization policy
/// that every endpoint falls back to: a valid token whose role the <c>AccessMatrix</c> allows (deny by default).
/// Health, reflection, the OAuth endpoints and the sign-in pages are anonymous. Every key (token signing and encryption
/// in <see cref="KeyRing"/>, Data Protection's) is shared through the product database or configured certificates,
/// never held by one process, so any instance on the database finishes a sign-in another one began.
/// </summary>
internal static class IdentityRegistration
{
    /// <summary>
    /// Data Protection's application name: payloads are isolated by it, and by default it is the content root, which
    /// differs between installs; one fixed name lets every instance unprotect what another protected.
    /// </summary>
    public const string DataProtectionApplicationName = "PartnerExchange";

    private const string CallerScheme = "Caller";
    private const string ExternalScheme = "External";

    /// <summary>Reads (never validates) a token's issuer to pick its scheme; stateless, so one serves every request.</summary>
    private static readonly JsonWebTokenHandler IssuerReader = new();

    public static void AddPartnerExchangeIdentity(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(IdentitySettings.Section).Get<IdentitySettings>() ?? new IdentitySettings();
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton<KeyRing>();

        services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(settings.Issuer);
            server.SetTokenEndpointUris(TokenEndpoint.Path.TrimStart('/'));
            server.SetAuthorizationEndpointUris(AuthorizationEndpoint.Path.TrimStart('/'));
            server.SetDeviceAuthorizationEndpointUris("connect/device");
            server.SetEndUserVerificationEndpointUris(DeviceVerificationPage.Path.TrimStart('/'));
            server.AllowClientCredentialsFlow();
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.AllowDeviceAuthorizationFlow();

            // PKCE with S256 only: a "plain" challenge would be the verifier itself.
            server.Configure(options =>
            {
                options.CodeChallengeMethods.Clear();
                options.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
            });
            server.RegisterScopes(IdentitySettings.Audience);
            server.SetAccessTokenLifetime(settings.AccessTokenLifetime);
            // Access tokens stay signed JWTs that a gateway can read; the codes are encrypted with KeyRing's keys (below).
            server.DisableAccessTokenEncryption();
            server.AddEventHandler(TokenFailureAudit.Descriptor);
            var aspNetCore = server.UseAspNetCore()
                .EnableTokenEndpointPassthrough()
                .EnableAuthorizationEndpointPassthrough()
                .EnableEndUserVerificationEndpointPassthrough();
            if (builder.Environment.IsDevelopment())
            {
                aspNetCore.DisableTransportSecurityRequirement();
            }
        });
        services.AddOptions<OpenIddictServerOptions>().Configure<KeyRing>((options, keys) =>
        {
            foreach (var key in keys.Keys)
            {
                options.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
            }

            foreach (var key in keys.EncryptionKeys)
            {
                options.EncryptionCredentials.Add(new EncryptingCredentials(key, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
            }
        });

        // The sign-in cookie and the forms' antiforgery tokens: Data Protection's key ring in the product database.
        services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<PartnerExchangeDbContext>();

        services.AddHttpContextAccessor();
        services.AddSingleton<IAuthenticationSchemeProvider, CallerSchemes>();

        // The callers' scheme is the default one, so the authentication middleware reads every request's token once and
        // the policy below reuses that principal. Without an external issuer it is the JWT bearer scheme itself; with one,
        // a policy scheme forwards each request to the scheme of its token's issuer.
        var external = settings.External.Authority is not null;
        var authentication = services.AddAuthentication(external ? CallerScheme : JwtBearerDefaults.AuthenticationScheme);
        if (external)
        {
            authentication.AddPolicyScheme(CallerScheme, "Bearer token of this server or of the external issuer", scheme =>
                scheme.ForwardDefaultSelector = context => IssuedHere(context, settings) ? JwtBearerDefaults.AuthenticationScheme : ExternalScheme);
        }

        authentication.AddJwtBearer();
        authentication.AddPersonCookie(settings.People);
        AddPeople(services, settings.People);
        services.AddSingleton<RememberingTokenHandler>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<KeyRing, TimeProvider, RememberingTokenHandler>((options, keys, time, handler) =>
        {
            options.MapInboundClaims = false;
            // Nothing reads the token back from the authentication properties: do not copy it there on every call.
            options.SaveToken = false;
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(handler);
            options.TokenValidationParameters = Validation(time, settings.Issuer.AbsoluteUri, IdentitySettings.RoleClaim);
            options.TokenValidationParameters.ValidTypes = ["at+jwt"];
            options.TokenValidationParameters.IssuerSigningKeys = keys.Keys;
        });
        if (settings.External.Authority is { } authority)
        {
            authentication.AddJwtBearer(ExternalScheme);
            services.AddOptions<JwtBearerOptions>(ExternalScheme).Configure<TimeProvider>((options, time) =>
            {
                options.Authority = authority.AbsoluteUri;
                options.RequireHttpsMetadata = settings.External.RequireHttpsMetadata;
                options.MapInboundClaims = false;
                // Issuer and keys come from the authority's discovery document.
                options.TokenValidationParameters = Validation(time, validIssuer: null, settings.External.RoleClaim);
                options.Events = new JwtBearerEvents { OnTokenValidated = context => MapExternalClaims(context, settings.External) };
            });
        }

        services.AddSingleton(new ContractMethods(ServiceCatalog.Descriptors.SelectMany(s => s.Methods).Select(m => $"/{m.Service.FullName}/{m.Name}")));
        services.AddSingleton<IAuthorizationHandler, RpcAccessHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        // The policy names no scheme: it takes the principal of the default (callers') scheme that the authentication
        // middleware has read, instead of authenticating the request a second time.
        services.AddAuthorization(options => options.FallbackPolicy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .AddRequirements(new RpcAccessRequirement())
            .Build());
    }

    /// <summary>
    /// People's accounts in ASP.NET Core Identity over the product database: passwords of at least 12 characters (no
    /// composition rules), user names of lower-case letters, digits, '.', '_' and '-', and lockout after
    /// <see cref="PeopleSettings.MaxFailedSignIns"/> failures for <see cref="PeopleSettings.LockoutDuration"/>, on the
    /// injected clock (<see cref="PersonAccountManager"/>). Antiforgery protects the sign-in and verification forms.
    /// </summary>
    private static void AddPeople(IServiceCollection services, PeopleSettings settings)
    {
        services.AddIdentityCore<PersonAccount>(options =>
            {
                options.Lockout.MaxFailedAccessAttempts = settings.MaxFailedSignIns;
                options.Lockout.DefaultLockoutTimeSpan = settings.LockoutDuration;
                options.Lockout.AllowedForNewUsers = true;
                options.Password.RequiredLength = 12;
                options.Password.RequiredUniqueChars = 1;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789._-";
            })
            .AddEntityFrameworkStores<PartnerExchangeDbContext>()
            .AddUserManager<PersonAccountManager>()
            .AddSignInManager();
        services.AddAntiforgery(options => options.Cookie.Name = "px.antiforgery");
    }

    /// <summary>
    /// Token checks shared by both issuers: audience <c>partnerexchange</c>, a 30 s allowance for clock differences,
    /// and lifetimes read on the injected clock, which also stamps the tokens this server issues.
    /// </summary>
    private static TokenValidationParameters Validation(TimeProvider time, string? validIssuer, string roleClaim) => new()
    {
        ValidIssuer = validIssuer,
        ValidAudience = IdentitySettings.Audience,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = "sub",
        RoleClaimType = roleClaim,
        LifetimeValidator = (notBefore, expires, _, parameters) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return expires is { } end && end >= now - parameters.ClockSkew && (notBefore is not { } start || start <= now + parameters.ClockSkew);
        },
    };

    /// <summary>Whether the request's bearer token names this server as its issuer (read unverified, only to pick the scheme).</summary>
    private static bool IssuedHere(HttpContext context, IdentitySettings settings)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var token = header["Bearer ".Length..].Trim();
        try
        {
            return !IssuerReader.CanReadToken(token) || IssuerReader.ReadJsonWebToken(token).Issuer == settings.Issuer.AbsoluteUri;
        }
        catch (ArgumentException)
        {
            // Not a readable JWT: the local scheme refuses it like any bad token.
            return true;
        }
    }

    /// <summary>
    /// Puts the external issuer's role and partner claims under the names the API reads; when the names differ, a
    /// claim the token itself carries under the API's name is dropped, so only the configured claim counts.
    /// </summary>
    private static Task MapExternalClaims(TokenValidatedContext context, ExternalIssuerSettings external)
    {
        if (context.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity)
        {
            foreach (var (from, to) in new[] { (external.RoleClaim, IdentitySettings.RoleClaim), (external.PartnerClaim, IdentitySettings.PartnerClaim) })
            {
                if (from == to)
                {
                    continue;
                }

                foreach (var own in identity.FindAll(to).ToList())
                {
                    identity.RemoveClaim(own);
                }

                if (identity.FindFirst(from) is { } claim)
                {
                    identity.AddClaim(new System.Security.Claims.Claim(to, claim.Value));
                }
            }
        }

        return Task.CompletedTask;
    }

    public static void MapTokenEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(TokenEndpoint.Path, TokenEndpoint.HandleAsync).AllowAnonymous();

    /// <summary>Maps the sign-in page, the authorization endpoint and the device verification page of people's sign-in.</summary>
    public static void MapPeopleSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSignInPage();
        endpoints.MapAuthorizationEndpoint();
        endpoints.MapDeviceVerificationPage();
    }
}
