"""The ready template: the questions of APEC's participant evaluation form, in English and Chinese.

They are stored on the survey's questions (text and text_zh) like an organizer's own content, so an
organizer can reword them for their event; the Chinese is what an APEC document would say.
"""

from __future__ import annotations

from eventhub.surveys.models import QuestionKind

R, S, M, T, BA = (QuestionKind.RATING, QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TEXT,
                  QuestionKind.BEFORE_AFTER)

# (kind, English, Chinese, choices, Chinese choices, required)
APEC_EVALUATION = (
    (R, "The objectives of the workshop were clearly defined.", "研讨会的目标明确。", "", "", True),
    (R, "The project achieved its intended objectives.", "项目实现了预期目标。", "", "", True),
    (R, "The project was relevant to my economy and to my work.", "项目与本经济体及本人工作相关。", "", "", True),
    (R, "The workshop was well organised (agenda, logistics, venue).", "研讨会组织得当（议程、后勤、场地）。",
     "", "", True),
    (R, "The experts and speakers were well prepared and knowledgeable.", "专家和发言人准备充分、学识丰富。",
     "", "", True),
    (R, "The materials and presentations were useful.", "会议材料和演示内容实用。", "", "", True),
    (R, "Gender issues were adequately addressed.", "性别问题得到了充分关注。", "", "", True),
    (S, "The time allocated to the workshop was", "研讨会的时间安排",
     "Too short\nAbout right\nToo long", "太短\n适中\n太长", True),
    (BA, "My knowledge of the subject (1 = very low, 5 = very high)", "本人对该主题的了解程度（1 = 很低，5 = 很高）",
     "", "", True),
    (M, "How will you use what you learned?", "您将如何运用所学内容？",
     "Share with colleagues\nImprove policy or regulation\nDesign a project\nTrain others",
     "与同事分享\n完善政策或法规\n设计项目\n培训他人", False),
    (T, "What will you apply in your work, and how?", "您将在工作中运用哪些内容？如何运用？", "", "", False),
    (T, "How could the project be improved?", "项目可以如何改进？", "", "", False),
)
