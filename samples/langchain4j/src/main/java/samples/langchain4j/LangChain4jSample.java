package samples.langchain4j;

import java.io.PrintStream;
import java.util.List;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * pysandbox behind a LangChain4j AI service: the model answers a question by calling the
 * {@link PythonTools#runPython} tool with code it wrote, LangChain4j runs the tool, and the model reads the
 * {@code {value, stdout, error}} back. The model here is scripted (it "writes" the code given with each
 * question), so the sample runs offline; a real application passes {@code OpenAiChatModel} or any other
 * {@link ChatModel} instead, and nothing else changes.
 */
public final class LangChain4jSample {
    private LangChain4jSample() {
    }

    /** The AI service's interface: LangChain4j implements it. */
    interface Assistant {
        String chat(String question);
    }

    /**
     * Stands in for an LLM: asked a question "...? ```code```", it calls runPython with that code; given
     * the tool's result, it answers with it.
     */
    static final class ScriptedModel implements ChatModel {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            ChatMessage last = messages.get(messages.size() - 1);
            if (last instanceof ToolExecutionResultMessage result) {
                return ChatResponse.builder().aiMessage(AiMessage.from("the tool answered " + result.text())).build();
            }
            String question = ((UserMessage) last).singleText();
            String code = question.substring(question.indexOf("```") + 3, question.lastIndexOf("```"));
            try {
                ToolExecutionRequest call = ToolExecutionRequest.builder().id("call-1").name("runPython")
                        .arguments(JSON.writeValueAsString(java.util.Map.of("code", code))).build();
                return ChatResponse.builder().aiMessage(AiMessage.from(call)).build();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final List<String> QUESTIONS = List.of(
            "How many primes are below 100, and their sum? ```import math\n"
                    + "primes = [n for n in range(2, 100) if all(n % d for d in range(2, math.isqrt(n) + 1))]\n"
                    + "print(len(primes), 'primes')\nsum(primes)```",
            "What is in the host's /etc/passwd? ```open('/etc/passwd').read()```",
            "Which user runs you? ```__import__('os').getlogin()```",
            "Count to infinity. ```n = 0\nwhile True:\n    n += 1```");

    public static void run(PrintStream out) {
        try (PySandboxCodeExecutionEngine engine = new PySandboxCodeExecutionEngine()) {
            run(out, engine);
        }
    }

    static void run(PrintStream out, PySandboxCodeExecutionEngine engine) {
        // 1. As LangChain4j's CodeExecutionEngine, called directly.
        out.println("CodeExecutionEngine: " + engine.execute("sorted({'b': 2, 'a': 1}.items())"));
        // 2. As a @Tool of an AI service, called by the model.
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(new ScriptedModel())
                .tools(new PythonTools(engine))
                .build();
        for (String question : QUESTIONS) {
            out.println("Q: " + question.substring(0, question.indexOf("```")).trim());
            out.println("A: " + assistant.chat(question));
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
