import type { RegisterBody } from '@hts/contracts';
import { error, fail, redirect } from '@sveltejs/kit';
import { parseContact } from '$lib/contact.ts';
import type { Message } from '$lib/i18n/index.ts';
import { startSession } from '$lib/server/auth.ts';
import { config } from '$lib/server/config.ts';
import { formString, mapApiError } from '$lib/server/forms.ts';
import { getCommunes, getTargetGroups } from '$lib/server/reference.ts';
import type { Actions, PageServerLoad } from './$types';

type RegisterField = 'fullName' | 'contact' | 'birthYear' | 'communeCode' | 'targetGroupCode' | 'password' | 'passwordConfirm';

export const load: PageServerLoad = async ({ locals }) => {
  if (locals.user) redirect(303, '/');
  try {
    const [communes, targetGroups] = await Promise.all([getCommunes(locals.api), getTargetGroups(locals.api)]);
    return { communes: communes.items, targetGroups: targetGroups.items };
  } catch (err) {
    console.error('register: reference lists unavailable:', err instanceof Error ? err.message : err);
    error(503, 'Unavailable');
  }
};

export const actions: Actions = {
  default: async ({ request, locals, cookies, url }) => {
    const data = await request.formData();
    const values = {
      fullName: formString(data, 'fullName').trim().replace(/\s+/g, ' ').normalize('NFC'),
      contact: formString(data, 'contact').trim(),
      birthYear: formString(data, 'birthYear').trim(),
      communeCode: formString(data, 'communeCode'),
      targetGroupCode: formString(data, 'targetGroupCode'),
    };
    const password = formString(data, 'password');
    const passwordConfirm = formString(data, 'passwordConfirm');

    const errors: Partial<Record<RegisterField, Message>> = {};
    if (values.fullName.length < 2) errors.fullName = { key: 'err.fullName' };
    const contact = parseContact(values.contact);
    if (!contact.ok) errors.contact = { key: contact.error === 'contact' ? 'err.contact' : contact.error === 'email' ? 'err.email' : 'err.phone' };
    const birthYear = Number(values.birthYear);
    if (!/^\d{4}$/.test(values.birthYear) || birthYear < 1900 || birthYear > new Date().getFullYear()) errors.birthYear = { key: 'err.birthYear' };
    if (!/^\d{5}$/.test(values.communeCode)) errors.communeCode = { key: 'err.commune' };
    if (!values.targetGroupCode) errors.targetGroupCode = { key: 'err.targetGroup' };
    if (password.length < 8) errors.password = { key: 'err.password' };
    else if (password !== passwordConfirm) errors.passwordConfirm = { key: 'err.passwordConfirm' };
    if (Object.keys(errors).length > 0 || !contact.ok) {
      return fail(400, { message: { key: 'err.fixBelow' } as Message, errors, values });
    }

    const body: RegisterBody = {
      ...contact.contact,
      fullName: values.fullName,
      birthYear,
      communeCode: values.communeCode,
      targetGroupCode: values.targetGroupCode,
      password,
    };
    try {
      const pair = await locals.api.call('register', { body });
      startSession(cookies, url, pair, config().sessionKey);
    } catch (err) {
      const mapped = mapApiError<RegisterField>(err, {
        fields: {
          fullName: 'fullName',
          email: 'contact',
          phone: 'contact',
          birthYear: 'birthYear',
          communeCode: 'communeCode',
          targetGroupCode: 'targetGroupCode',
          password: 'password',
        },
        fieldMessages: {
          fullName: 'err.fullName',
          contact: 'email' in contact.contact ? 'err.email' : 'err.phone',
          birthYear: 'err.birthYear',
          communeCode: 'err.commune',
          targetGroupCode: 'err.targetGroup',
          password: 'err.password',
          passwordConfirm: 'err.passwordConfirm',
        },
        conflicts: { email: 'err.emailTaken', phone: 'err.phoneTaken' },
      });
      return fail(mapped.status, { message: mapped.message, errors: mapped.errors, values });
    }
    redirect(303, '/');
  },
};
