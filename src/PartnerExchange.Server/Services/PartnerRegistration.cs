using PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>The settings of partner management.</summary>
internal static class PartnerRegistration
{
    /// <summary>
    /// Registers the default points per response-deduction reason (rulebook section 6): <c>ResponseRate:Points:&lt;Reason&gt;</c>
    /// for each <see cref="ResponseDeductionReason"/> name (e.g. <c>ResponseRate:Points:ChangeNotNotified</c>), 1 to 100;
    /// defaults in <see cref="ResponseDeductionPoints.Defaults"/>.
    /// </summary>
    public static void AddPartnerManagement(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("ResponseRate:Points");
        var configured = new Dictionary<ResponseDeductionReason, int>();
        foreach (var child in section.GetChildren())
        {
            if (!Enum.TryParse<ResponseDeductionReason>(child.Key, ignoreCase: false, out var reason) || !Enum.IsDefined(reason) || int.TryParse(child.Key, out _))
            {
                throw new InvalidOperationException(
                    $"ResponseRate:Points:{child.Key} names no deduction reason; use one of {string.Join(", ", Enum.GetNames<ResponseDeductionReason>())}.");
            }

            configured[reason] = int.TryParse(child.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var points)
                ? points
                : throw new InvalidOperationException($"ResponseRate:Points:{child.Key} is '{child.Value}': it must be a whole number of points from 1 to 100.");
        }

        try
        {
            builder.Services.AddSingleton(new ResponseDeductionPoints(configured));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new InvalidOperationException(ex.Message.Split(" (Parameter")[0], ex);
        }
    }
}
