"""``/remind on|off [hours]``, ``/timezone``, the loop that sends reminders, and the note a
learner gets after their next command when a reminder could not reach them."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.exts.practice.views import NextButton
from bot.services.clock import zone
from bot.services.reminders import MAX_HOURS, MIN_HOURS, UNDELIVERABLE, DueReminder
from bot.services.server_settings import check_zone, zone_names
from bot.ui import privacy
from bot.ui.answer import send
from bot.ui.commands import EVERYWHERE, everywhere
from bot.ui.text import CHOICE_NAME_LIMIT, NO_MENTIONS, clip

if TYPE_CHECKING:
    from bot.app import PyDojo

log = logging.getLogger(__name__)
CHECK_MINUTES = 5
CHOICES = 25
NOTES = {
    UNDELIVERABLE: "📪 I couldn't DM you your streak reminder (your DMs are closed to me), so I "
    "turned reminders off. Allow DMs from a server we share, then `/remind on`.",
}


def local_clock(time_zone: str, now: datetime) -> str:
    return now.astimezone(zone(time_zone)).strftime("%H:%M")


def reminder_text(due: DueReminder) -> str:
    days = f"{due.streak}-day streak" if due.streak > 1 else "streak"
    return (
        f"🔥 Your {days} ends at midnight your time (<t:{int(due.ends_at.timestamp())}:R>). "
        "One solved problem keeps it going: press **Next** for one. (`/remind off` stops these.)"
    )


@app_commands.allowed_contexts(**EVERYWHERE)
@app_commands.allowed_installs(guilds=True, users=True)
class RemindersCog(commands.GroupCog, group_name="remind", group_description="Streak reminders"):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services
        super().__init__()

    async def cog_load(self) -> None:
        self.reminder_loop.start()

    async def cog_unload(self) -> None:
        self.reminder_loop.cancel()

    @app_commands.command(name="on", description="A DM when your daily streak is about to end")
    @app_commands.describe(hours="How many hours before your midnight (default 6)")
    async def on(
        self,
        interaction: discord.Interaction,
        hours: app_commands.Range[int, MIN_HOURS, MAX_HOURS] | None = None,
    ) -> None:
        settings = await self.services.reminders.set(interaction.user.id, True, hours)
        now = self.services.clock()
        text = (
            f"Reminders on: on days your streak is about to end, I'll DM you at "
            f"{settings.local_time} your time ({settings.time_zone}, where it's "
            f"{local_clock(settings.time_zone, now)} now), at most once a day."
        )
        if settings.time_zone == "UTC":
            text += " Not your time zone? Set yours with `/timezone`."
        await send(interaction, private=privacy.PERSONAL, content=text)

    @app_commands.command(name="off", description="No more streak reminders")
    async def off(self, interaction: discord.Interaction) -> None:
        await self.services.reminders.set(interaction.user.id, False)
        await send(
            interaction,
            private=privacy.PERSONAL,
            content="Reminders off. `/remind on` brings them back.",
        )

    # -- sending ------------------------------------------------------------------------------

    @tasks.loop(minutes=CHECK_MINUTES)
    async def reminder_loop(self) -> None:
        await self.send_reminders()

    @reminder_loop.before_loop
    async def before_reminders(self) -> None:
        await self.bot.wait_until_ready()

    async def send_reminders(self) -> int:
        """Send every reminder due now; returns how many were delivered."""
        reminders = self.services.reminders
        sent = 0
        for due in await reminders.due():
            if not await reminders.claim(due.user_id, due.day):
                continue  # sent already today (another check, before a restart)
            view = discord.ui.View(timeout=None)
            view.add_item(NextButton("practice"))
            try:
                channel = await self.bot.create_dm(discord.Object(due.user_id))
                await channel.send(
                    content=reminder_text(due), view=view, allowed_mentions=NO_MENTIONS
                )
                sent += 1
            except discord.Forbidden:
                log.info("DMs closed for user %s: reminders turned off", due.user_id)
                await reminders.undeliverable(due.user_id)
            except discord.HTTPException as exc:
                log.warning("reminder to user %s failed: %s", due.user_id, exc)
                await reminders.release(due.user_id, due.day)
        return sent

    # -- the note after the next command -------------------------------------------------------

    @commands.Cog.listener()
    async def on_app_command_completion(self, interaction: discord.Interaction, _: Any) -> None:
        if not interaction.response.is_done():
            return
        if interaction.response.type is discord.InteractionResponseType.modal:
            return  # a modal's answer cannot be followed up: the note waits for the next one
        note = await self.services.reminders.take_note(interaction.user.id)
        if note is None:
            return
        try:
            await interaction.followup.send(NOTES.get(note, note), ephemeral=True)
        except discord.HTTPException:
            log.info("could not give user %s their note", interaction.user.id)


class TimeZoneCog(commands.Cog):
    """``/timezone``: the clock a learner's streak days and reminders follow."""

    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="timezone", description="Your time zone, for streaks and reminders")
    @app_commands.describe(name="e.g. Europe/Berlin or America/New_York (type to search)")
    @everywhere
    async def timezone(self, interaction: discord.Interaction, name: str | None = None) -> None:
        services = self.services
        now = services.clock()
        if name is None:
            current = (await services.reminders.settings(interaction.user.id)).time_zone
            text = (
                f"Your time zone is {current} (it's {local_clock(current, now)} there). "
                "Give a name to change it."
            )
            await send(interaction, private=privacy.PERSONAL, content=text)
            return
        chosen = check_zone(name)
        await services.users.set_time_zone(interaction.user.id, chosen)
        settings = await services.reminders.settings(interaction.user.id)
        text = (
            f"Your time zone is now {chosen}: it's {local_clock(chosen, now)} there. Your "
            "streak counts days on this clock"
        )
        text += f", and reminders come at {settings.local_time}." if settings.enabled else "."
        await send(interaction, private=privacy.PERSONAL, content=text)

    @timezone.autocomplete("name")
    async def zone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        typed = current.strip().casefold().replace(" ", "_")
        found = [z for z in zone_names() if typed in z.casefold()]
        found.sort(key=lambda z: (not z.casefold().startswith(typed), "/" not in z, z))
        return [
            app_commands.Choice(name=clip(z, CHOICE_NAME_LIMIT), value=z) for z in found[:CHOICES]
        ]
