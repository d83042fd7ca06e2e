using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// Wires identity into the host: OpenIddict as the token server (client credentials, signed JWT access tokens of type
/// <c>at+jwt</c>, discovery and JWKS), the standard JWT bearer handler validating them, and an authorization policy
/// that every endpoint falls back to: a valid token whose role the <c>AccessMatrix</c> allows (deny by default).
/// Health, reflection and the OAuth endpoints are anonymous.
/// </summary>
internal static class IdentityRegistration
{
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
            server.AllowClientCredentialsFlow();
            server.RegisterScopes(IdentitySettings.Audience);
            server.SetAccessTokenLifetime(settings.AccessTokenLifetime);
            server.DisableAccessTokenEncryption();
            server.AddEphemeralEncryptionKey();
            var aspNetCore = server.UseAspNetCore().EnableTokenEndpointPassthrough();
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
        });

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<KeyRing, TimeProvider>((options, keys, time) =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer.AbsoluteUri,
                ValidAudience = IdentitySettings.Audience,
                ValidTypes = ["at+jwt"],
                IssuerSigningKeys = keys.Keys,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "sub",
                RoleClaimType = IdentitySettings.RoleClaim,
                // The injected clock, which also stamps the tokens OpenIddict issues (the sandbox clock in rehearsals).
                LifetimeValidator = (notBefore, expires, _, parameters) =>
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    return expires is { } end && end >= now - parameters.ClockSkew && (notBefore is not { } start || start <= now + parameters.ClockSkew);
                },
            };
        });

        services.AddSingleton(new ContractMethods(ServiceCatalog.Descriptors.SelectMany(s => s.Methods).Select(m => $"/{m.Service.FullName}/{m.Name}")));
        services.AddSingleton<IAuthorizationHandler, RpcAccessHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        services.AddAuthorization(options => options.FallbackPolicy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new RpcAccessRequirement())
            .Build());
    }

    public static void MapTokenEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(TokenEndpoint.Path, TokenEndpoint.HandleAsync).AllowAnonymous();
}
