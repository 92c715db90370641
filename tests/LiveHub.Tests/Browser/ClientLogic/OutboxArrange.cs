namespace LiveHub.Tests.Browser.ClientLogic;

/// <summary>The arrange code the outbox tests share: one outbox of event E1 and what it reports.</summary>
internal static class OutboxArrange
{
    /// <summary>
    /// An outbox with <paramref name="policy"/> (a script expression) on window.box over window.live, connected or not
    /// (window.live is kept when a script runs again on the same page); what it reports lands in window.seen, each entry
    /// named by <paramref name="name"/> (a script expression of item). stored() reads its list in localStorage.
    /// </summary>
    public static string For(bool connected, string policy, string storageKey, string name) => $$"""
        const clock = fakes.clock;
        const live = window.live ??= lh.fakeLive({ connected: {{(connected ? "true" : "false")}} });
        const seen = window.seen = [];
        const named = (item) => {{name}};
        const box = window.box = lh.outbox.createOutbox(live, {{policy}}, {
          onDelivered: (value, item) => seen.push('delivered ' + named(item)),
          onError: (e, item) => seen.push('error ' + named(item) + ' ' + e.code),
        });
        const stored = () => JSON.parse(localStorage.getItem('{{storageKey}}') || '[]');
        """;
}
