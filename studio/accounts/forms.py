from django import forms


class TeamSwitchForm(forms.Form):
    team = forms.IntegerField(
        min_value=1, error_messages={"required": "Choose a team.", "invalid": "The team id must be a number."}
    )
