"""The conversation's pieces of the tracker, the order page and the desk (laid out here, worked out in thread.py)."""

import reflex as rx

from app.questions.models import ANSWER_MAX, QUESTION_MAX
from app.questions.state import AnswerState, AskState, DeskQuestionsState
from app.questions.thread import QuestionRow, ThreadLine
from app.ui.forms import field_label


def message(line: ThreadLine) -> rx.Component:
    mine = line.author == "buyer"
    return rx.box(
        rx.text(rx.text.strong(line.who), " · ", line.when, size="1", color=rx.color("gray", 11)),
        rx.text(line.text, size="2", white_space="pre-wrap"),
        padding="0.6rem 0.8rem",
        border_radius="var(--radius-4)",
        background=rx.cond(mine, rx.color("gray", 3), rx.color("accent", 3)),
        margin_left=rx.cond(mine, "0", "1.5rem"),
        margin_right=rx.cond(mine, "1.5rem", "0"),
        class_name="thread-message",
    )


def thread_list(lines, label: str) -> rx.Component:
    return rx.el.section(
        rx.foreach(lines, message),
        aria_label=label,
        aria_live="polite",
        style={"display": "grid", "gap": "0.5rem", "width": "100%"},
    )


def ask_card() -> rx.Component:
    """'Ask about my car': one box, and the whole conversation above it."""
    return rx.cond(
        AskState.available,
        rx.card(
            rx.vstack(
                rx.heading("Ask about my car", as_="h2", size="4"),
                rx.text(
                    "Anything at all. It goes straight to your dealer, who can already see your car's whole "
                    "story, so no need to repeat your order number.",
                    size="2",
                    color=rx.color("gray", 11),
                ),
                thread_list(AskState.thread, "Your conversation with your dealer"),
                rx.form(
                    rx.vstack(
                        field_label("Your question", "question"),
                        rx.text_area(
                            id="question",
                            name="question",
                            placeholder="Will it be home before the school holidays?",
                            max_length=QUESTION_MAX,
                            rows="3",
                            width="100%",
                            aria_describedby="question-error",
                        ),
                        rx.text(AskState.error, id="question-error", color=rx.color("red", 11), size="2", role="alert"),
                        rx.text(
                            AskState.sent, id="question-sent", color=rx.color("grass", 11), size="2", role="status"
                        ),
                        rx.button(rx.icon("send", size=16), "Ask", type="submit", size="3"),
                        spacing="2",
                        width="100%",
                    ),
                    on_submit=AskState.ask,
                    reset_on_submit=False,
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="ask-card",
        ),
    )


def answer_card(after_answer=None) -> rx.Component:
    """The conversation on the order page, beside the story, with the answer box when a question waits."""
    return rx.vstack(
        rx.heading("Questions from the customer", as_="h2", size="4"),
        rx.cond(AnswerState.pace != "", rx.text(AnswerState.pace, size="2", id="order-pace")),
        rx.cond(
            AnswerState.thread.length() > 0,
            thread_list(AnswerState.thread, "Conversation with the customer"),
            rx.text("No questions yet.", size="2", color=rx.color("gray", 11)),
        ),
        rx.cond(
            AnswerState.waiting,
            rx.form(
                rx.vstack(
                    field_label("Your answer (goes on their tracker and by mail)", "answer"),
                    rx.text_area(id="answer", name="answer", max_length=ANSWER_MAX, rows="4", width="100%"),
                    rx.text(AnswerState.answer_error, color=rx.color("red", 11), size="2", role="alert"),
                    rx.button("Send answer", type="submit"),
                    width="100%",
                ),
                # `after_answer` (the order page's reload) shows the answer's mail in the story at once.
                on_submit=[AnswerState.answer, after_answer] if after_answer is not None else AnswerState.answer,
                reset_on_submit=False,
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
        id="order-questions",
    )


def question_row(row: QuestionRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.cond(row.flagged, rx.badge("Over a working day", color_scheme="red", margin_right="0.4rem")),
            rx.text(row.waited, size="2", weight=rx.cond(row.waiting, "bold", "regular")),
        ),
        rx.table.cell(rx.link(row.number, href=f"/dealer/order/{row.number}"), rx.text(row.car, size="1")),
        rx.table.cell(row.customer),
        rx.table.cell(row.stage),
        rx.table.cell(rx.text(row.question, size="2")),
    )


def desk_questions() -> rx.Component:
    return rx.cond(
        DeskQuestionsState.rows.length() > 0,
        rx.vstack(
            rx.heading("Questions from buyers", as_="h2", size="5", margin_top="1rem"),
            rx.cond(
                DeskQuestionsState.flagged > 0,
                rx.callout(
                    f"{DeskQuestionsState.flagged} waiting longer than a working day: anyone here can answer.",
                    icon="alarm-clock",
                    color_scheme="red",
                    id="flagged-questions",
                ),
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *(rx.table.column_header_cell(h) for h in ("Waiting", "Order", "Customer", "Stage", "Question"))
                    )
                ),
                rx.table.body(rx.foreach(DeskQuestionsState.rows, question_row)),
                variant="surface",
                width="100%",
                id="desk-questions",
            ),
            spacing="3",
            width="100%",
        ),
    )
