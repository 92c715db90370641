using LiveHub.Data.Questions;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Questions;

public static class QuestionsSetup
{
    /// <summary>Q&amp;A: questions committed in batches, moderation, and upvote counts pushed coalesced.</summary>
    public static IServiceCollection AddQuestions(this IServiceCollection services)
    {
        services.AddOptions<QuestionOptions>().BindConfiguration(QuestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<QuestionStore>();
        services.AddSingleton<QuestionService>();
        services.AddSingleton<AskCommitter>();
        services.AddSingleton<UpvoteCoalescer>();
        services.AddHostedService(sp => sp.GetRequiredService<UpvoteCoalescer>());
        return services;
    }
}
